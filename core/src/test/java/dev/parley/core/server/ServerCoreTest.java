package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.PluginContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ServerCoreTest {

    /** ECHO answers at once, SLOW answers later on another thread, BOOM throws, NAME registers. */
    static final class TestPlugin implements ParleyPlugin {
        final LinkedBlockingQueue<String> ended = new LinkedBlockingQueue<>();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void start(PluginContext context) {
            context.addSessionListener(new SessionListener() {
                @Override
                public void sessionEnded(Session session, String reason) {
                    ended.add(session.id() + ":" + reason);
                }
            });
        }

        @Override
        public List<Command> commands() {
            return List.of(
                    Command.sync("ECHO", "Echo the arguments", r -> Reply.ok(r.frame().params())).beforeRegistration(),
                    Command.async("SLOW", "Answer after a random delay", r -> CompletableFuture.supplyAsync(() -> {
                        try {
                            gate.await();
                            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Reply.ok(r.frame().params());
                    })).beforeRegistration(),
                    Command.sync("BOOM", "Throw", r -> {
                        throw new IllegalStateException("boom");
                    }).beforeRegistration(),
                    Command.async("PARTED", "Fail as when the cluster has no majority", r -> CompletableFuture.failedFuture(
                            new dev.parley.core.spi.cluster.ClusterException("no majority", null))).beforeRegistration(),
                    Command.sync("LIST", "Two data lines then OK", r -> {
                        r.data(Frame.of("ITEM").param("a").build());
                        r.data(Frame.of("ITEM").param("b").build());
                        return Reply.ok("2");
                    }).beforeRegistration(),
                    Command.sync("NAME", "Register", r -> {
                        r.session().register(r.argument(0));
                        return Reply.ok(r.argument(0));
                    }).beforeRegistration(),
                    Command.sync("SECRET", "Needs registration", r -> Reply.ok()));
        }
    }

    private final TestPlugin plugin = new TestPlugin();
    private final ServerCore core = new ServerCore(new CoreSettings("parley", 4, 8), ConfigFactory.load(),
            List.of(plugin), "test");

    private ServerCoreTest() {
        core.start();
    }

    @AfterEach
    void stop() {
        core.shutdown(Duration.ofSeconds(2));
    }

    private InboundHandler connect(FakeConnection c) {
        InboundHandler in = core.connected(c);
        c.handler = in;
        return in;
    }

    private static Frame parse(String line) {
        try {
            return FrameParser.parse(line);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("HELLO is the first line, with server name, protocol version, software version and plugins")
    void hello() throws Exception {
        FakeConnection c = new FakeConnection();
        connect(c);
        assertThat(c.next().toString()).isEqualTo("HELLO parley 1 test :test");
    }

    @Nested
    @DisplayName("every command gets exactly one final reply")
    class Replies {
        @Test
        @DisplayName("in the order the commands arrived, even when handlers complete asynchronously")
        void orderWithAsyncHandlers() throws Exception {
            FakeConnection c = new FakeConnection();
            InboundHandler in = connect(c);
            c.next();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String verb = i % 3 == 0 ? "ECHO" : "SLOW";
                in.frame(parse(verb + " " + i));
                expected.add("OK " + verb + " " + i);
            }
            List<String> got = c.next(200).stream().map(Frame::toString).toList();
            assertThat(got).containsExactlyElementsOf(expected);
        }

        @Test
        @DisplayName("data lines come before their command's final reply")
        void dataLines() throws Exception {
            FakeConnection c = new FakeConnection();
            InboundHandler in = connect(c);
            c.next();
            in.frame(parse("LIST"));
            assertThat(c.next(3).stream().map(Frame::toString)).containsExactly("ITEM a", "ITEM b", "OK LIST 2");
        }

        @Test
        @DisplayName("the id tag is copied onto the final reply")
        void idTag() throws Exception {
            FakeConnection c = new FakeConnection();
            InboundHandler in = connect(c);
            c.next();
            in.frame(parse("@id=x7 echo a"));
            assertThat(c.next().toString()).isEqualTo("@id=x7 OK ECHO a");
        }

        @Test
        @DisplayName("an unknown verb is UNKNOWN_COMMAND, a throwing handler INTERNAL, and the session goes on")
        void errors() throws Exception {
            FakeConnection c = new FakeConnection();
            InboundHandler in = connect(c);
            c.next();
            in.frame(parse("FROBNICATE x"));
            in.frame(parse("BOOM"));
            in.frame(parse("ECHO ok"));
            assertThat(c.next().toString()).startsWith("ERR FROBNICATE UNKNOWN_COMMAND :");
            assertThat(c.next().toString()).startsWith("ERR BOOM INTERNAL :");
            assertThat(c.next().toString()).isEqualTo("OK ECHO ok");
        }

        @Test
        @DisplayName("a handler failing because the cluster did not answer is CLUSTER_UNAVAILABLE, not INTERNAL")
        void clusterUnavailable() throws Exception {
            FakeConnection c = new FakeConnection();
            InboundHandler in = connect(c);
            c.next();
            in.frame(parse("PARTED"));
            in.frame(parse("ECHO ok"));
            assertThat(c.next().toString()).startsWith("ERR PARTED CLUSTER_UNAVAILABLE :").contains("try again");
            assertThat(c.next().toString()).isEqualTo("OK ECHO ok");
        }

        @Test
        @DisplayName("a command that needs registration is NOT_REGISTERED until the session registers")
        void registration() throws Exception {
            FakeConnection c = new FakeConnection();
            InboundHandler in = connect(c);
            c.next();
            in.frame(parse("SECRET"));
            in.frame(parse("NAME alice"));
            in.frame(parse("SECRET"));
            assertThat(c.next().toString()).startsWith("ERR SECRET NOT_REGISTERED :");
            assertThat(c.next().toString()).isEqualTo("OK NAME alice");
            assertThat(c.next().toString()).isEqualTo("OK SECRET");
        }

        @Test
        @DisplayName("a malformed line is answered ERR * in order with the replies around it")
        void malformedInOrder() throws Exception {
            FakeConnection c = new FakeConnection();
            InboundHandler in = connect(c);
            c.next();
            plugin.gate = new CountDownLatch(1);
            in.frame(parse("SLOW 1"));
            in.malformed(new ProtocolException(ErrorCode.LINE_TOO_LONG, "too long"), false);
            in.frame(parse("ECHO 2"));
            plugin.gate.countDown();
            assertThat(c.next(3).stream().map(Frame::toString))
                    .containsExactly("OK SLOW 1", "ERR * LINE_TOO_LONG :too long", "OK ECHO 2");
            assertThat(c.isOpen()).isTrue();
        }

        @Test
        @DisplayName("a fatal decode error is answered, then BYE PROTOCOL, then the connection closes")
        void fatal() throws Exception {
            FakeConnection c = new FakeConnection();
            InboundHandler in = connect(c);
            c.next();
            in.malformed(new ProtocolException(ErrorCode.PAYLOAD_TOO_LARGE, "size 10 exceeds 5"), true);
            assertThat(c.next().toString()).isEqualTo("ERR * PAYLOAD_TOO_LARGE :size 10 exceeds 5");
            assertThat(c.next().toString()).startsWith("BYE PROTOCOL");
            assertThat(c.awaitClosed()).isTrue();
        }
    }

    @Test
    @DisplayName("HELP lists every verb with its plugin and summary, sorted, then OK HELP <count>")
    void help() throws Exception {
        FakeConnection c = new FakeConnection();
        InboundHandler in = connect(c);
        c.next();
        in.frame(parse("help"));
        List<String> lines = c.next(10).stream().map(Frame::toString).toList();
        assertThat(lines).containsExactly(
                "COMMAND BOOM test :Throw", "COMMAND ECHO test :Echo the arguments",
                "COMMAND HELP core :HELP - List every command with its usage and a one-line summary",
                "COMMAND LIST test :Two data lines then OK", "COMMAND NAME test :Register",
                "COMMAND PARTED test :Fail as when the cluster has no majority",
                "COMMAND QUIT core :QUIT [:reason] - Close the connection",
                "COMMAND SECRET test :Needs registration", "COMMAND SLOW test :Answer after a random delay",
                "OK HELP 9");
    }

    @Test
    @DisplayName("QUIT is answered, later commands are not run, the connection closes and the session ends with the reason")
    void quit() throws Exception {
        FakeConnection c = new FakeConnection();
        InboundHandler in = connect(c);
        c.next();
        in.frame(parse("QUIT :gone fishing"));
        in.frame(parse("ECHO never"));
        assertThat(c.next().toString()).isEqualTo("OK QUIT");
        assertThat(c.awaitClosed()).isTrue();
        in.closed();
        assertThat(plugin.ended.poll(5, TimeUnit.SECONDS)).endsWith(":gone fishing");
        assertThat(c.written).isEmpty();
        assertThat(core.count()).isZero();
    }

    @Test
    @DisplayName("a full inbox suspends reading and resumes it once drained; nothing is dropped")
    void backPressure() throws Exception {
        FakeConnection c = new FakeConnection();
        InboundHandler in = connect(c);
        c.next();
        plugin.gate = new CountDownLatch(1);
        for (int i = 0; i < 20; i++) {
            in.frame(parse("SLOW " + i));
        }
        assertThat(c.suspended).isTrue();
        plugin.gate.countDown();
        List<Frame> replies = c.next(20);
        assertThat(replies.get(19).toString()).isEqualTo("OK SLOW 19");
        assertThat(c.suspended).isFalse();
    }

    @Test
    @DisplayName("shutdown answers queued commands, then says BYE SHUTDOWN to every session")
    void shutdown() throws Exception {
        FakeConnection a = new FakeConnection();
        FakeConnection b = new FakeConnection();
        InboundHandler inA = connect(a);
        InboundHandler inB = connect(b);
        a.next();
        b.next();
        plugin.gate = new CountDownLatch(1);
        inA.frame(parse("SLOW inflight"));
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> core.shutdown(Duration.ofSeconds(5)));
        plugin.gate.countDown();
        assertThat(a.next().toString()).isEqualTo("OK SLOW inflight");
        assertThat(a.next().toString()).startsWith("BYE SHUTDOWN");
        assertThat(b.next().toString()).startsWith("BYE SHUTDOWN");
        assertThat(done.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @DisplayName("two plugins claiming one verb stop start-up, naming both")
    void verbClash() {
        ParleyPlugin other = new ParleyPlugin() {
            @Override
            public String name() {
                return "other";
            }

            @Override
            public List<Command> commands() {
                return List.of(Command.sync("echo", "clash", r -> Reply.ok()));
            }
        };
        ServerCore clash = new ServerCore(new CoreSettings("parley", 1, 8), ConfigFactory.load(),
                List.of(new TestPlugin(), other), "test");
        assertThatThrownBy(clash::start).isInstanceOf(StartupException.class)
                .hasMessageContaining("'test'").hasMessageContaining("'other'").hasMessageContaining("ECHO");
        clash.shutdown(Duration.ofSeconds(1));
    }
}
