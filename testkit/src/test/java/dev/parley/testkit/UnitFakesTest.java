package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The unit-level fakes a plugin's tests use without a server: TestSession, TestPluginContext, TestRequest.dispatch. */
class UnitFakesTest {

    @Nested
    @DisplayName("TestSession")
    class Sessions {
        @Test
        @DisplayName("records what is sent, in order, until closed; takeEvents forgets what it returns")
        void records() {
            TestSession session = new TestSession();
            session.send(Frame.of("MSG").param("#a").trailing("one").build());
            session.send(Frame.of("NOTICE").trailing("two").build());
            assertThat(session.events("MSG")).extracting(Frame::toString).containsExactly("MSG #a :one");
            assertThat(session.takeEvents()).hasSize(2);
            assertThat(session.events()).isEmpty();
            session.close(ByeReason.TIMEOUT, "bye");
            session.send(Frame.of("NOTICE").trailing("late").build());
            assertThat(session.events()).isEmpty();
            assertThat(session.isOpen()).isFalse();
            assertThat(session.closedWith()).contains(ByeReason.TIMEOUT);
        }

        @Test
        @DisplayName("each session has an address of its own unless set; name and account are what the test sets")
        void identity() {
            TestSession a = new TestSession();
            TestSession b = new TestSession();
            assertThat(a.remoteAddress()).isNotEqualTo(b.remoteAddress());
            InetSocketAddress same = new InetSocketAddress("10.9.9.9", 1);
            assertThat(b.from(same).remoteAddress()).isEqualTo(same);
            assertThat(a.isRegistered()).isFalse();
            a.register("alice");
            assertThat(a.name()).contains("alice");
            assertThat(a.authenticate("alice").account()).contains("alice");
        }

        @Test
        @DisplayName("a client that stops reading has pending bytes until it reads again")
        void pending() {
            TestSession session = new TestSession();
            session.send(Frame.of("NOTICE").trailing("read").build());
            assertThat(session.pendingBytes()).isZero();
            session.stopReading();
            session.send(Frame.of("NOTICE").trailing("queued").build());
            assertThat(session.pendingBytes()).isEqualTo("NOTICE :queued\n".length());
            assertThat(session.sentBytes()).isEqualTo("NOTICE :read\n".length() + "NOTICE :queued\n".length());
            session.resumeReading();
            assertThat(session.pendingBytes()).isZero();
        }
    }

    @Nested
    @DisplayName("TestPluginContext")
    class Context {
        @Test
        @DisplayName("gives the plugin its section and the root, keeps services once, and has no scheduler unless given")
        void configAndServices() {
            TestPluginContext context = new TestPluginContext("dice", ConfigFactory.parseString(
                    "dice.max-dice = 5\nserver.name = test"));
            assertThat(context.config().getInt("max-dice")).isEqualTo(5);
            assertThat(context.rootConfig().getString("server.name")).isEqualTo("test");
            context.provide(CharSequence.class, "one");
            assertThat(context.lookup(CharSequence.class)).contains("one");
            assertThatThrownBy(() -> context.provide(CharSequence.class, "two")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(context::scheduler).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("no scheduler");
            assertThat(new TestPluginContext("x", ConfigFactory.empty()).config().isEmpty()).isTrue();
        }

        @Test
        @DisplayName("of(plugin, overrides) gives the plugin its reference.conf defaults and core's, as the server does")
        void defaults() {
            TestPluginContext context = TestPluginContext.of(new ProbePlugin(), "parley.server.name = unit");
            assertThat(context.config().getString("greeting")).isEqualTo("hello");
            assertThat(context.rootConfig().getString("server.name")).isEqualTo("unit");
            assertThat(context.rootConfig().hasPath("server.port")).isTrue();
            TestPluginContext changed = TestPluginContext.of(new ProbePlugin(), "parley.probe.greeting = hi");
            assertThat(changed.config().getString("greeting")).isEqualTo("hi");
        }

        @Test
        @DisplayName("opening and ending sessions tells the listeners and changes the sessions; fan-out reaches each")
        void sessions() {
            TestPluginContext context = new TestPluginContext("dice", ConfigFactory.empty());
            List<String> heard = new ArrayList<>();
            context.addSessionListener(new SessionListener() {
                @Override
                public void sessionOpened(Session session) {
                    heard.add("opened " + session.id());
                }

                @Override
                public void sessionEnded(Session session, String reason) {
                    heard.add("ended " + session.id() + " " + reason);
                }
            });
            TestSession a = context.open(new TestSession(1));
            TestSession b = context.open(new TestSession(2));
            context.sessions().send(context.sessions().all(), Frame.of("NOTICE").trailing("hi").build());
            assertThat(a.events()).hasSize(1);
            assertThat(b.events()).hasSize(1);
            context.end(a, "quit");
            context.end(a, "quit");
            assertThat(a.isOpen()).isFalse();
            assertThat(context.count()).isEqualTo(1);
            assertThat(heard).containsExactly("opened 1", "opened 2", "ended 1 quit");
        }
    }

    @Nested
    @DisplayName("TestRequest.dispatch")
    class Dispatch {
        private final Command join = Command.sync("JOIN", "Enter a room",
                r -> Reply.ok(r.argument(0))).withUsage("<#room> [key]");

        @Test
        @DisplayName("applies the registration rule and the declared usage as the server does, then the handler")
        void rules() throws Exception {
            TestSession session = new TestSession();
            assertThat(reply(join, session, "JOIN #a")).isEqualTo("ERR JOIN NOT_REGISTERED :register first, then"
                    + " send JOIN again");
            session.register("alice");
            assertThat(reply(join, session, "JOIN")).isEqualTo("ERR JOIN BAD_ARGUMENT :usage: JOIN <#room> [key]");
            assertThat(reply(join, session, "JOIN #a")).isEqualTo("OK JOIN #a");
        }

        @Test
        @DisplayName("a handler that throws gives a failed stage")
        void throwing() throws Exception {
            Command boom = Command.sync("BOOM", "Throw", r -> {
                throw new IllegalStateException("boom");
            }).beforeRegistration();
            assertThatThrownBy(() -> reply(boom, new TestSession(), "BOOM")).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
        }

        private String reply(Command command, Session session, String line) throws Exception {
            Frame frame = FrameParser.parse(line);
            return TestRequest.dispatch(command, session, frame, data -> { }).toCompletableFuture().join()
                    .toFrame(frame.verb(), null).toString();
        }
    }
}
