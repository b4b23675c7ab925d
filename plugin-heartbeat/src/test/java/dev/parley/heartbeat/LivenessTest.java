package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.testkit.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** PING, PONG, the idle timeout and the registration timeout. */
class LivenessTest extends ServerHarness {

    @Nested
    @DisplayName("PING and PONG")
    class PingPong {
        @Test
        @DisplayName("PING is answered OK PING with the client's token, or without one, before registration")
        void clientPing() {
            start(QUIET);
            TestClient c = connect();
            c.send("PING abc123");
            c.send("@id=7 PING");
            assertThat(c.next(2)).containsExactly("OK PING abc123", "@id=7 OK PING");
        }

        @Test
        @DisplayName("a silent connection gets PING <token> after the interval; PONG <token> is answered OK PONG")
        void serverPing() {
            start("interval = 150ms, timeout = 2s, register-timeout = 10s");
            TestClient c = connect();
            long before = System.nanoTime();
            Frame ping = c.nextFrame();
            assertThat(ping.verb()).isEqualTo("PING");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(140));
            assertThat(ping.param(0)).isNotBlank();
            c.send("PONG " + ping.param(0));
            assertThat(c.next()).isEqualTo("OK PONG");
        }

        @Test
        @DisplayName("a connection that sends nothing gets BYE TIMEOUT after the timeout and is closed")
        void silentTimesOut() {
            start("interval = 100ms, timeout = 300ms, register-timeout = 10s");
            TestClient c = connect();
            long before = System.nanoTime();
            List<String> seen = new ArrayList<>();
            String line;
            do {
                line = c.next();
                seen.add(line);
            } while (line.startsWith("PING"));
            assertThat(line).startsWith("BYE TIMEOUT :");
            assertThat(seen).hasSizeGreaterThan(1);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            c.awaitClosed();
        }

        @Test
        @DisplayName("a connection that answers every PING outlives many timeouts")
        void answeringSurvives() {
            start("interval = 100ms, timeout = 400ms, register-timeout = 10s");
            TestClient c = connect();
            long end = System.nanoTime() + Duration.ofMillis(1000).toNanos();
            int pings = 0;
            int answered = 0;
            while (System.nanoTime() < end) {
                Frame line = c.nextFrame(); // a PING comes every interval, so this never waits long
                if (line.toString().equals("OK PONG")) {
                    answered++;
                } else {
                    // A new PING may arrive before the answer to the previous PONG: events come any time.
                    assertThat(line.toString()).startsWith("PING ");
                    c.send("PONG " + line.param(0));
                    pings++;
                }
            }
            assertThat(pings).isGreaterThanOrEqualTo(2);
            assertThat(answered).isGreaterThanOrEqualTo(pings - 1);
            assertThat(c.isClosed()).isFalse();
        }

        @Test
        @DisplayName("inbound bytes without a complete frame (a payload streaming in) count as life")
        void activityCounts() throws InterruptedException {
            start("interval = 100ms, timeout = 400ms, register-timeout = 10s");
            TestClient c = connect();
            long end = System.nanoTime() + Duration.ofMillis(800).toNanos();
            while (System.nanoTime() < end) {
                kit.bytesArriving(c);
                Thread.sleep(20); // the client trickling bytes, not a wait for the server
            }
            assertThat(c.isClosed()).isFalse();
            assertThat(c.pending()).noneMatch(line -> line.startsWith("BYE"));
        }

        @Test
        @DisplayName("a registered session that times out is kept: RESUME brings back the PINGs it missed, in order")
        void timedOutIsResumable() throws InterruptedException {
            start("interval = 100ms, timeout = 300ms, register-timeout = 10s, resume-grace = 10s");
            TestClient a = connect();
            String token = nick(a, "alice");
            String line;
            do {
                line = a.next();
            } while (!line.startsWith("BYE"));
            assertThat(line).startsWith("BYE TIMEOUT :");
            a.awaitClosed();
            assertThat(rooms.ended.poll(100, TimeUnit.MILLISECONDS)).isNull();
            TestClient a2 = connect();
            a2.send("RESUME " + token + " 0");
            List<String> replayed = new ArrayList<>();
            for (line = a2.next(); !line.startsWith("OK RESUME"); line = a2.next()) {
                replayed.add(line);
            }
            assertThat(line).startsWith("OK RESUME alice ");
            assertThat(replayed).isNotEmpty().allMatch(l -> l.matches("@seq=\\d+ PING \\S+"));
            assertThat(replayed.get(0)).startsWith("@seq=1 ");
        }

        @Test
        @DisplayName("a connection that never registers is closed with BYE TIMEOUT after register-timeout")
        void registerTimeout() {
            start("interval = 10s, timeout = 30s, register-timeout = 200ms");
            TestClient idle = connect();
            TestClient registered = connect();
            nick(registered, "alice");
            assertThat(idle.next()).startsWith("BYE TIMEOUT :register");
            idle.awaitClosed();
            assertThat(registered.pendingAfter(Duration.ofMillis(300))).isEmpty();
            assertThat(registered.isClosed()).isFalse();
        }
    }
}
