package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.protocol.Frame;
import dev.parley.core.server.StartupException;
import dev.parley.core.spi.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ParleyTestKitTest {

    private final ProbePlugin probe = new ProbePlugin();
    private final TestDirectory directory = new TestDirectory();

    @AutoClose
    private final ParleyTestKit kit = ParleyTestKit.start(probe, directory);

    @Test
    @DisplayName("a client is greeted with HELLO listing the plugins")
    void hello() {
        assertThat(kit.connect().hello()).isEqualTo("HELLO parley 1 testkit :probe testdirectory");
    }

    @Nested
    @DisplayName("replies")
    class Replies {
        @Test
        @DisplayName("a command line gets its final reply")
        void reply() {
            TestClient c = kit.connect();
            assertThat(c.send("echo a b").reply()).isEqualTo("OK ECHO a b");
        }

        @Test
        @DisplayName("pipelined commands are answered in order, also when a handler completes later")
        void pipelined() {
            TestClient c = kit.connect();
            probe.gate = new CountDownLatch(1);
            c.send("LATER 1").send("ECHO 2");
            assertThat(c.pending()).isEmpty();
            probe.gate.countDown();
            assertThat(c.reply()).isEqualTo("OK LATER 1");
            assertThat(c.reply()).isEqualTo("OK ECHO 2");
        }

        @Test
        @DisplayName("command() returns the data lines with the reply")
        void answer() {
            Answer answer = kit.connect().command("LIST");
            assertThat(answer.lines()).containsExactly("ITEM a", "ITEM b");
            assertThat(answer.reply()).isEqualTo("OK LIST 2");
            assertThat(answer.isOk()).isTrue();
        }

        @Test
        @DisplayName("reply() skips data lines and leaves them for event()")
        void replySkipsData() {
            TestClient c = kit.connect();
            assertThat(c.send("LIST").reply()).isEqualTo("OK LIST 2");
            assertThat(c.event()).isEqualTo("ITEM a");
            assertThat(c.next()).isEqualTo("ITEM b");
        }

        @Test
        @DisplayName("core's errors come through: unknown verb, registration, malformed line")
        void errors() {
            TestClient c = kit.connect();
            assertThat(c.send("FROB").reply()).startsWith("ERR FROB UNKNOWN_COMMAND :");
            assertThat(c.send("SHOUT #r :x").reply()).startsWith("ERR SHOUT NOT_REGISTERED :");
            assertThat(c.send("@=x ECHO").reply()).startsWith("ERR * BAD_SYNTAX :");
        }

        @Test
        @DisplayName("frames carry payloads both ways")
        void payload() {
            TestClient c = kit.connect();
            c.send("BLOB :bytes");
            Frame frame = c.eventFrame();
            assertThat(frame.verb()).isEqualTo("PAYLOAD");
            assertThat(new String(frame.payload())).isEqualTo("bytes");
            assertThat(c.reply()).isEqualTo("OK BLOB");
        }
    }

    @Nested
    @DisplayName("events through the TestDirectory")
    class Events {
        @Test
        @DisplayName("reach the room's other members, and nobody else")
        void room() {
            TestClient alice = kit.connect("alice");
            TestClient bob = kit.connect("bob");
            TestClient carol = kit.connect("carol");
            kit.join("#games", alice, bob);
            assertThat(alice.send("SHOUT #games :hi all").reply()).isEqualTo("OK SHOUT #games");
            assertThat(bob.event()).isEqualTo("SHOUTED #games alice :hi all");
            assertThat(alice.pending()).isEmpty();
            assertThat(carol.pending()).isEmpty();
        }

        @Test
        @DisplayName("a plugin's own error codes come through")
        void notInRoom() {
            TestClient carol = kit.connect("carol");
            assertThat(carol.send("SHOUT #games :hi").reply()).isEqualTo("ERR SHOUT NOT_IN_ROOM :join #games first");
        }

        @Test
        @DisplayName("a session that ends leaves its rooms")
        void sessionEnds() {
            TestClient alice = kit.connect("alice");
            TestClient bob = kit.connect("bob");
            kit.join("#games", alice, bob);
            Session bobSession = kit.session(bob);
            bob.send("QUIT");
            assertThat(bob.reply()).isEqualTo("OK QUIT");
            bob.awaitClosed();
            // The session ends on a worker after the connection closed; no line to alice says when.
            kit.await("bob left #games", () -> !directory.isMember("#games", bobSession));
            assertThat(directory.members("#games")).contains(List.of(kit.session(alice)));
            assertThat(directory.session("bob")).isEmpty();
            assertThat(kit.core().count()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("configuration")
    class Configuration {
        @Test
        @DisplayName("the plugin sees its reference.conf defaults")
        void defaults() {
            assertThat(kit.connect().send("GREETING").reply()).isEqualTo("OK GREETING :hello");
        }

        @Test
        @DisplayName("overrides win over reference.conf, in any of the three forms")
        void overrides() {
            try (ParleyTestKit a = ParleyTestKit.builder().plugin(new ProbePlugin()).set("parley.probe.greeting", "hi").start();
                 ParleyTestKit b = ParleyTestKit.builder().plugin(new ProbePlugin()).pluginConfig("probe", "greeting = yo").start();
                 ParleyTestKit c = ParleyTestKit.builder().plugin(new ProbePlugin())
                         .config("parley { probe.greeting = hey, server.name = kit }").start()) {
                assertThat(a.connect().send("GREETING").reply()).isEqualTo("OK GREETING :hi");
                assertThat(b.connect().send("GREETING").reply()).isEqualTo("OK GREETING :yo");
                TestClient client = c.connect();
                assertThat(client.hello()).startsWith("HELLO kit ");
                assertThat(client.send("GREETING").reply()).isEqualTo("OK GREETING :hey");
            }
        }

        @Test
        @DisplayName("a plugin that fails to start fails start() as in the real server")
        void startFails() {
            assertThatThrownBy(() -> ParleyTestKit.builder().plugin(new ProbePlugin()).set("parley.probe.greeting", "fail").start())
                    .isInstanceOf(StartupException.class)
                    .hasMessage("plugin 'probe' failed to start: parley.probe.greeting must not be 'fail'");
        }
    }

    @Nested
    @DisplayName("finding plugins by name")
    class Finding {
        @Test
        @DisplayName("an unknown name fails, listing what was found")
        void unknown() {
            assertThatThrownBy(() -> ParleyTestKit.findPlugin("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no plugin named 'nope' on the test module path; found: ");
        }
    }

    @Nested
    @DisplayName("waiting")
    class Waiting {
        @Test
        @DisplayName("await() fails naming the condition when it never holds")
        void awaitCondition() {
            try (ParleyTestKit quick = ParleyTestKit.builder().plugin(new ProbePlugin()).timeout(Duration.ofMillis(50)).start()) {
                assertThatThrownBy(() -> quick.await("pigs fly", () -> false)).isInstanceOf(AssertionError.class)
                        .hasMessage("timed out after PT0.05S waiting until pigs fly");
            }
        }

        @Test
        @DisplayName("a wait that times out fails with what did arrive")
        void timeout() {
            try (ParleyTestKit quick = ParleyTestKit.builder().plugin(new ProbePlugin()).timeout(Duration.ofMillis(200)).start()) {
                TestClient c = quick.connect();
                c.send("LIST");
                c.reply();
                assertThatThrownBy(c::reply).isInstanceOf(AssertionError.class)
                        .hasMessage("expected a final reply (OK or ERR) within PT0.2S; unread: [ITEM a, ITEM b]");
            }
        }

        @Test
        @DisplayName("closing the kit sends BYE SHUTDOWN and closes every client")
        void shutdown() {
            TestClient c = kit.connect();
            kit.close();
            assertThat(c.event()).isEqualTo("BYE SHUTDOWN :the server is shutting down");
            c.awaitClosed();
            assertThat(c.isClosed()).isTrue();
        }

        @Test
        @DisplayName("a client that disconnects ends its session")
        void disconnect() {
            TestClient c = kit.connect();
            assertThat(kit.core().count()).isEqualTo(1);
            c.close();
            assertThat(c.isClosed()).isTrue();
            assertThatThrownBy(() -> c.send("ECHO")).isInstanceOf(IllegalStateException.class);
        }
    }
}
