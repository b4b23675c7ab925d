package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Resumption;
import dev.parley.core.spi.Session;
import dev.parley.testkit.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** seq tags, RESUME, the grace and the replay limit, token secrecy. */
class ResumeTest extends ServerHarness {

    @Nested
    @DisplayName("seq tags")
    class SeqTags {
        @Test
        @DisplayName("events to a registered session carry seq=1,2,3; replies and data lines carry none")
        void eventsOnly() {
            start(QUIET);
            TestClient a = connect();
            TestClient b = connect();
            nick(a, "alice");
            nick(b, "bob");
            b.send("TELL alice :one");
            b.send("WHISPER alice :two");
            b.send("TELL alice :three");
            assertThat(b.next(3)).containsExactly("OK TELL", "OK WHISPER", "OK TELL");
            a.send("LIST");
            assertThat(a.next(6)).containsExactly(
                    "@seq=1 MSG bob :one", "@seq=2;whisper MSG bob :two", "@seq=3 MSG bob :three",
                    "ITEM a", "ITEM b", "OK LIST 2");
            assertThat(kit.sharedWrites(a)).isEqualTo(3);
        }

        @Test
        @DisplayName("without the heartbeat plugin events carry no seq and a dropped session ends at once")
        void withoutHeartbeat() throws InterruptedException {
            start("", rooms);
            TestClient a = connect();
            TestClient b = connect();
            a.send("NICK alice");
            b.send("NICK bob");
            assertThat(a.next()).isEqualTo("OK NICK alice");
            assertThat(b.next()).isEqualTo("OK NICK bob");
            b.send("TELL alice :hi");
            assertThat(a.next()).isEqualTo("MSG bob :hi");
            assertThat(b.next()).isEqualTo("OK TELL");
            a.close();
            assertThat(rooms.ended.poll(5, TimeUnit.SECONDS)).isEqualTo("alice:connection lost");
            assertThat(b.next()).isEqualTo("LEFT alice :connection lost");
        }
    }

    @Nested
    @DisplayName("RESUME")
    class Resume {
        @Test
        @DisplayName("the issue's scenario: every event after the last one read arrives, in order, before OK RESUME; others see nothing")
        void scenario() {
            start(QUIET);
            TestClient a = connect();
            TestClient b = connect();
            String token = nick(a, "alice");
            nick(b, "bob");
            Session alice = rooms.byName.get("alice");

            b.send("TELL alice :before");
            assertThat(b.next()).isEqualTo("OK TELL");
            assertThat(a.next()).isEqualTo("@seq=1 MSG bob :before"); // the last event A reads
            for (int i = 1; i <= 3; i++) {
                b.send("TELL alice :unread " + i);
            }
            assertThat(b.next(3)).containsOnly("OK TELL");
            a.close(); // the network drops; A never read those three
            for (int i = 1; i <= 3; i++) {
                b.send("TELL alice :while away " + i);
            }
            b.send("WHISPER alice :psst");
            assertThat(b.next(4)).containsExactly("OK TELL", "OK TELL", "OK TELL", "OK WHISPER");

            TestClient a2 = connect();
            a2.send("RESUME " + token + " 1");
            List<String> replayed = a2.next(7);
            assertThat(replayed).containsExactly(
                    "@seq=2 MSG bob :unread 1", "@seq=3 MSG bob :unread 2", "@seq=4 MSG bob :unread 3",
                    "@seq=5 MSG bob :while away 1", "@seq=6 MSG bob :while away 2", "@seq=7 MSG bob :while away 3",
                    "@seq=8;whisper MSG bob :psst");
            Frame ok = a2.nextFrame();
            assertThat(ok.params()).hasSize(3).startsWith("RESUME", "alice");
            assertThat(ok.verb()).isEqualTo("OK");
            String newToken = ok.param(2);
            assertThat(newToken).isNotEqualTo(token);

            // B saw no end, the nick still belongs to the same session, and the new connection is that session.
            assertThat(rooms.ended).isEmpty();
            assertThat(b.pendingAfter(Duration.ofMillis(100))).isEmpty();
            assertThat(rooms.byName.get("alice")).isSameAs(alice);
            a2.send("WHOAMI");
            assertThat(a2.next()).isEqualTo("OK WHOAMI " + alice.id() + " alice");
            b.send("TELL alice :welcome back");
            assertThat(a2.next()).isEqualTo("@seq=9 MSG bob :welcome back");
            a2.send("TELL bob :thanks");
            assertThat(b.next(2)).containsExactlyInAnyOrder("OK TELL", "@seq=1 MSG alice :thanks");

            TestClient stranger = connect();
            stranger.send("RESUME " + token);
            assertThat(stranger.next()).startsWith("ERR RESUME NO_SUCH_SESSION");
        }

        @Test
        @DisplayName("with two senders racing the drop, what was read plus the replay is every seq once, in order")
        void concurrentSenders() throws InterruptedException {
            start(QUIET + ", replay-limit = 10000");
            TestClient a = connect();
            TestClient b = connect();
            TestClient c = connect();
            String token = nick(a, "alice");
            nick(b, "bob");
            nick(c, "carol");
            int each = 300;
            Thread tb = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    b.send("TELL alice :" + i);
                }
            });
            Thread tc = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    c.send("WHISPER alice :" + i);
                }
            });
            tb.start();
            tc.start();
            List<Frame> read = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                read.add(a.nextFrame());
            }
            a.close();
            tb.join();
            tc.join();
            assertThat(b.next(each)).containsOnly("OK TELL");
            assertThat(c.next(each)).containsOnly("OK WHISPER");
            long lastRead = Long.parseLong(read.get(99).tag("seq"));

            TestClient a2 = connect();
            a2.send("RESUME " + token + " " + lastRead);
            Frame line;
            while (!(line = a2.nextFrame()).verb().equals("OK")) {
                read.add(line);
            }
            assertThat(line.toString()).startsWith("OK RESUME");
            List<Long> seqs = read.stream().map(f -> Long.parseLong(f.tag("seq"))).toList();
            List<Long> expected = new ArrayList<>();
            for (long n = 1; n <= 2 * each; n++) {
                expected.add(n);
            }
            assertThat(seqs).containsExactlyElementsOf(expected);
            for (String sender : List.of("bob", "carol")) {
                List<String> texts = read.stream()
                        .filter(f -> f.param(0).equals(sender)).map(Frame::trailing).toList();
                assertThat(texts).hasSize(each).isSortedAccordingTo((x, y) -> Integer.parseInt(x) - Integer.parseInt(y));
            }
        }

        @Test
        @DisplayName("shutdown ends dropped sessions too")
        void shutdownEndsDetached() throws InterruptedException {
            start(QUIET);
            TestClient a = connect();
            nick(a, "alice");
            a.close();
            assertThat(rooms.ended.poll(100, TimeUnit.MILLISECONDS)).isNull();
            assertThat(kit.core().shutdown(Duration.ofSeconds(2))).isTrue();
            assertThat(rooms.ended.poll(1, TimeUnit.SECONDS)).isEqualTo("alice:the server is shutting down");
        }

        @Test
        @DisplayName("without last-seq, every event not yet handed to the old connection is replayed")
        void withoutLastSeq() {
            start(QUIET);
            TestClient a = connect();
            TestClient b = connect();
            String token = nick(a, "alice");
            nick(b, "bob");
            b.send("TELL alice :handed");
            assertThat(b.next()).isEqualTo("OK TELL");
            a.close();
            b.send("TELL alice :kept");
            assertThat(b.next()).isEqualTo("OK TELL");
            TestClient a2 = connect();
            a2.send("RESUME " + token);
            assertThat(a2.next()).isEqualTo("@seq=2 MSG bob :kept");
            assertThat(a2.next()).startsWith("OK RESUME alice ");
        }

        @Test
        @DisplayName("a RESUME while the old connection still looks alive takes the session over and closes it")
        void takeover() {
            start(QUIET);
            TestClient a = connect();
            String token = nick(a, "alice");
            TestClient a2 = connect();
            a2.send("RESUME " + token + " 0");
            assertThat(a2.next()).startsWith("OK RESUME alice ");
            a.awaitClosed();
            a2.send("WHOAMI");
            assertThat(a2.next()).endsWith(" alice");
            assertThat(rooms.ended).isEmpty();
        }

        @Test
        @DisplayName("after a takeover the old connection's commands never answer on the new one")
        void takeoverKeepsRepliesApart() {
            start(QUIET);
            TestClient a = connect();
            String token = nick(a, "alice");
            rooms.gate = new CountDownLatch(1);
            a.send("WAIT");
            a.send("WHOAMI");
            TestClient a2 = connect();
            a2.send("RESUME " + token + " 0");
            assertThat(a2.next()).startsWith("OK RESUME alice ");
            a.awaitClosed();
            rooms.gate.countDown();
            a2.send("PING after");
            assertThat(a2.next()).isEqualTo("OK PING after");
            assertThat(a2.pending()).isEmpty();
        }

        @Test
        @DisplayName("each resume rotates the token: the new one works once, the old ones never again")
        void rotation() {
            start(QUIET);
            TestClient a = connect();
            String first = nick(a, "alice");
            a.close();
            TestClient a2 = connect();
            a2.send("RESUME " + first);
            String second = a2.nextFrame().param(2);
            a2.close();
            TestClient a3 = connect();
            a3.send("RESUME " + first);
            assertThat(a3.next()).startsWith("ERR RESUME NO_SUCH_SESSION");
            a3.send("RESUME " + second);
            String third = a3.nextFrame().param(2);
            assertThat(List.of(first, second, third)).doesNotHaveDuplicates()
                    .allSatisfy(t -> assertThat(t).matches("[A-Za-z0-9_-]{24}"));
        }

        @Test
        @DisplayName("RESUME with an unknown token is NO_SUCH_SESSION, on a registered connection ALREADY_REGISTERED")
        void badRequests() {
            start(QUIET);
            TestClient a = connect();
            String token = nick(a, "alice");
            a.send("RESUME " + token);
            assertThat(a.next()).startsWith("ERR RESUME ALREADY_REGISTERED");
            TestClient c = connect();
            c.send("RESUME AAAAAAAAAAAAAAAAAAAAAAAA");
            c.send("RESUME");
            c.send("RESUME " + token + " -1");
            c.send("RESUME " + token + " 99");
            assertThat(c.next(4)).satisfiesExactly(
                    l -> assertThat(l).startsWith("ERR RESUME NO_SUCH_SESSION"),
                    l -> assertThat(l).startsWith("ERR RESUME BAD_ARGUMENT"),
                    l -> assertThat(l).startsWith("ERR RESUME BAD_ARGUMENT"),
                    l -> assertThat(l).startsWith("ERR RESUME BAD_ARGUMENT :last-seq 99"));
            c.send("RESUME " + token + " 0"); // a seq above the last one gave nothing away: the token still works
            assertThat(c.next()).startsWith("OK RESUME alice ");
        }

        @Test
        @DisplayName("QUIT ends the session at once, and its token dies with it")
        void quit() throws InterruptedException {
            start(QUIET);
            TestClient a = connect();
            String token = nick(a, "alice");
            a.send("QUIT :bye");
            assertThat(a.next()).isEqualTo("OK QUIT");
            assertThat(rooms.ended.poll(5, TimeUnit.SECONDS)).isEqualTo("alice:bye");
            TestClient a2 = connect();
            a2.send("RESUME " + token);
            assertThat(a2.next()).startsWith("ERR RESUME NO_SUCH_SESSION");
        }

        @Test
        @DisplayName("an unregistered connection that drops ends at once")
        void unregisteredEnds() {
            start(QUIET);
            int before = kit.core().count();
            TestClient c = connect();
            assertThat(kit.core().count()).isEqualTo(before + 1);
            c.close();
            kit.await("the session is gone", () -> kit.core().count() == before);
        }
    }

    @Nested
    @DisplayName("the resume grace and the replay limit")
    class Limits {
        @Test
        @DisplayName("after the grace a dropped session ends (others see it leave) and a late RESUME is NO_SUCH_SESSION")
        void graceRunsOut() throws InterruptedException {
            start("interval = 10s, timeout = 30s, register-timeout = 10s, resume-grace = 300ms");
            TestClient a = connect();
            TestClient b = connect();
            String token = nick(a, "alice");
            nick(b, "bob");
            long dropped = System.nanoTime();
            a.close();
            assertThat(rooms.ended.poll(100, TimeUnit.MILLISECONDS)).as("still within the grace").isNull();
            assertThat(rooms.ended.poll(5, TimeUnit.SECONDS)).isEqualTo("alice:connection lost");
            assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(b.next()).isEqualTo("@seq=1 LEFT alice :connection lost");
            TestClient late = connect();
            late.send("RESUME " + token);
            assertThat(late.next()).startsWith("ERR RESUME NO_SUCH_SESSION");
        }

        @Test
        @DisplayName("a dropped session that collects more than replay-limit events ends; RESUME is REPLAY_OVERFLOW")
        void overflow() throws InterruptedException {
            start(QUIET + ", replay-limit = 5");
            TestClient a = connect();
            TestClient b = connect();
            String token = nick(a, "alice");
            nick(b, "bob");
            a.close();
            tellNumbers(b, "alice", 5);
            assertThat(rooms.ended).as("five fit").isEmpty();
            b.send("TELL alice :6");
            assertThat(rooms.ended.poll(5, TimeUnit.SECONDS)).isEqualTo("alice:connection lost");
            TestClient a2 = connect();
            a2.send("RESUME " + token);
            assertThat(a2.next()).startsWith("ERR RESUME REPLAY_OVERFLOW");
        }

        @Test
        @DisplayName("a last-seq older than the buffer holds is REPLAY_UNAVAILABLE, and the session ends")
        void replayUnavailable() throws InterruptedException {
            start(QUIET + ", replay-limit = 3");
            TestClient a = connect();
            TestClient b = connect();
            String token = nick(a, "alice");
            nick(b, "bob");
            tellNumbers(b, "alice", 5);
            a.close();
            TestClient a2 = connect();
            a2.send("RESUME " + token + " 1");
            assertThat(a2.next()).startsWith("ERR RESUME REPLAY_UNAVAILABLE");
            assertThat(rooms.ended.poll(5, TimeUnit.SECONDS)).isEqualTo("alice:connection lost");
        }

        @Test
        @DisplayName("the buffer keeps the last replay-limit events: a last-seq within them still resumes")
        void lastEventsKept() {
            start(QUIET + ", replay-limit = 3");
            TestClient a = connect();
            TestClient b = connect();
            String token = nick(a, "alice");
            nick(b, "bob");
            tellNumbers(b, "alice", 5);
            a.close();
            TestClient a2 = connect();
            a2.send("RESUME " + token + " 2");
            assertThat(a2.next(3)).containsExactly("@seq=3 MSG bob :3", "@seq=4 MSG bob :4", "@seq=5 MSG bob :5");
            assertThat(a2.next()).startsWith("OK RESUME alice ");
        }
    }

    @Nested
    @DisplayName("resume tokens stay secret")
    class Secrecy {
        @Test
        @DisplayName("no toString of the session, the token store or the plugin shows a token")
        void notPrinted() {
            start(QUIET);
            TestClient a = connect();
            String token = nick(a, "alice");
            Session alice = rooms.byName.get("alice");
            ResumeTokens tokens = new ResumeTokens(1);
            String own = tokens.tokenFor(alice);
            assertThat(List.of(alice.toString(), tokens.toString(), kit.core().toString(), String.valueOf(rooms)))
                    .noneMatch(s -> s.contains(token) || s.contains(own));
        }

        @Test
        @DisplayName("tokens are only given to registered sessions")
        void onlyRegistered() {
            start(QUIET);
            Session anonymous = kit.session(connect());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ResumeTokens(1).tokenFor(anonymous))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(Resumption.class).isInterface();
        }
    }
}
