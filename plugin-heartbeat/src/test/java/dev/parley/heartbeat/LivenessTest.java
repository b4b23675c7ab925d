package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
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
        void clientPing() throws Exception {
            start(QUIET);
            FakeConnection c = connect();
            c.send("PING abc123");
            c.send("@id=7 PING");
            assertThat(c.next(2)).containsExactly("OK PING abc123", "@id=7 OK PING");
        }

        @Test
        @DisplayName("a silent connection gets PING <token> after the interval; PONG <token> is answered OK PONG")
        void serverPing() throws Exception {
            start("interval = 150ms, timeout = 2s, register-timeout = 10s");
            FakeConnection c = connect();
            long before = System.nanoTime();
            Frame ping = parse(c.next(Duration.ofSeconds(2)));
            assertThat(ping.verb()).isEqualTo("PING");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(140));
            assertThat(ping.param(0)).isNotBlank();
            c.send("PONG " + ping.param(0));
            assertThat(c.next()).isEqualTo("OK PONG");
        }

        @Test
        @DisplayName("a connection that sends nothing gets BYE TIMEOUT after the timeout and is closed")
        void silentTimesOut() throws Exception {
            start("interval = 100ms, timeout = 300ms, register-timeout = 10s");
            FakeConnection c = connect();
            long before = System.nanoTime();
            List<String> seen = new ArrayList<>();
            String line;
            do {
                line = c.next(Duration.ofSeconds(2));
                seen.add(line);
            } while (line.startsWith("PING"));
            assertThat(line).startsWith("BYE TIMEOUT :");
            assertThat(seen).hasSizeGreaterThan(1);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(c.awaitClosed()).isTrue();
        }

        @Test
        @DisplayName("a connection that answers every PING outlives many timeouts")
        void answeringSurvives() throws Exception {
            start("interval = 100ms, timeout = 400ms, register-timeout = 10s");
            FakeConnection c = connect();
            long end = System.nanoTime() + Duration.ofMillis(1000).toNanos();
            int pings = 0;
            int answered = 0;
            while (System.nanoTime() < end) {
                String line = c.lines.poll(50, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                if (line.equals("OK PONG")) {
                    answered++;
                } else {
                    // A new PING may arrive before the answer to the previous PONG: events come any time.
                    assertThat(line).startsWith("PING ");
                    c.send("PONG " + parse(line).param(0));
                    pings++;
                }
            }
            assertThat(pings).isGreaterThanOrEqualTo(2);
            assertThat(answered).isGreaterThanOrEqualTo(pings - 1);
            assertThat(c.isOpen()).isTrue();
        }

        @Test
        @DisplayName("inbound bytes without a complete frame (a payload streaming in) count as life")
        void activityCounts() throws Exception {
            start("interval = 100ms, timeout = 400ms, register-timeout = 10s");
            FakeConnection c = connect();
            long end = System.nanoTime() + Duration.ofMillis(800).toNanos();
            while (System.nanoTime() < end) {
                c.handler.activity();
                Thread.sleep(20); // the client trickling bytes, not a wait for the server
            }
            assertThat(c.isOpen()).isTrue();
            c.lines.forEach(line -> assertThat(line).doesNotStartWith("BYE"));
        }

        @Test
        @DisplayName("a registered session that times out is kept: RESUME brings back the PINGs it missed, in order")
        void timedOutIsResumable() throws Exception {
            start("interval = 100ms, timeout = 300ms, register-timeout = 10s, resume-grace = 10s");
            FakeConnection a = connect();
            String token = nick(a, "alice");
            String line;
            do {
                line = a.next(Duration.ofSeconds(2));
            } while (!line.startsWith("BYE"));
            assertThat(line).startsWith("BYE TIMEOUT :");
            assertThat(a.awaitClosed()).isTrue();
            assertThat(rooms.ended.poll(100, TimeUnit.MILLISECONDS)).isNull();
            FakeConnection a2 = connect();
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
        void registerTimeout() throws Exception {
            start("interval = 10s, timeout = 30s, register-timeout = 200ms");
            FakeConnection idle = connect();
            FakeConnection registered = connect();
            nick(registered, "alice");
            assertThat(idle.next(Duration.ofSeconds(2))).startsWith("BYE TIMEOUT :register");
            assertThat(idle.awaitClosed()).isTrue();
            registered.assertSilentFor(Duration.ofMillis(300));
            assertThat(registered.isOpen()).isTrue();
        }
    }
}
