package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.RetentionPolicy;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.SessionRetention;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Core's retention mechanism driven directly through the SPI, without the heartbeat plugin. */
class SessionRetentionTest {

    /** Turns retention on; NAME registers, EVENT sends the session an event with the given tags. */
    static class RetainingPlugin implements ParleyPlugin {
        final LinkedBlockingQueue<String> ended = new LinkedBlockingQueue<>();
        SessionRetention retention;
        volatile Session takenOver;

        @Override
        public String name() {
            return "retaining";
        }

        @Override
        public void start(PluginContext context) {
            retention = context.retainSessions(new RetentionPolicy(Duration.ofMillis(150), 3));
            context.addSessionListener(new SessionListener() {
                @Override
                public void sessionEnded(Session session, String reason) {
                    ended.add(session.name().orElse("*") + ":" + reason);
                }
            });
        }

        @Override
        public List<Command> commands() {
            return List.of(
                    Command.sync("NAME", "Register", r -> {
                        r.session().register(r.argument(0));
                        return Reply.ok(r.argument(0));
                    }).beforeRegistration(),
                    Command.sync("TAKEOVER", "Go on numbering after the given seq, as a cluster takeover does", r -> {
                        retention.continueSequence(r.session(), Long.parseLong(r.argument(0)));
                        r.session().register(r.argument(1));
                        takenOver = r.session();
                        return Reply.ok();
                    }).beforeRegistration(),
                    Command.sync("EVENT", "An event to oneself, tagged a=1 when asked", r -> {
                        Frame.Builder event = Frame.of("NOTE").param("x");
                        if ("tagged".equals(r.argument(0))) {
                            event.tag("a", "1");
                        }
                        r.session().send(event.build());
                        r.data(Frame.of("ITEM").build());
                        return Reply.ok();
                    }).beforeRegistration());
        }
    }

    private final RetainingPlugin plugin = new RetainingPlugin();
    private final ServerCore core = new ServerCore(new CoreSettings("parley", 2, 8), ConfigFactory.load(),
            List.of(plugin), "test");

    private SessionRetentionTest() {
        core.start();
    }

    @AfterEach
    void stop() {
        core.shutdown(Duration.ofSeconds(2));
    }

    private FakeConnection connect() throws InterruptedException {
        FakeConnection c = new FakeConnection();
        c.handler = core.connected(c);
        c.next();
        return c;
    }

    private static Frame parse(String line) {
        try {
            return FrameParser.parse(line);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("events get a seq tag once registered, spliced before their own tags; replies and data lines none")
    void seq() throws Exception {
        FakeConnection c = connect();
        InboundHandler in = c.handler;
        in.frame(parse("EVENT"));
        in.frame(parse("NAME alice"));
        in.frame(parse("EVENT"));
        in.frame(parse("EVENT tagged"));
        assertThat(c.next(9).stream().map(Frame::toString)).containsExactly(
                "NOTE x", "ITEM", "OK EVENT", "OK NAME alice",
                "@seq=1 NOTE x", "ITEM", "OK EVENT",
                "@seq=2;a=1 NOTE x", "ITEM");
    }

    @Test
    @DisplayName("a session taken over goes on numbering after the client's last seq, and lastSeq says so")
    void continueSequence() throws Exception {
        FakeConnection c = connect();
        InboundHandler in = c.handler;
        in.frame(parse("TAKEOVER 41 bob"));
        in.frame(parse("EVENT"));
        in.frame(parse("EVENT"));
        assertThat(c.next(5).stream().map(Frame::toString)).containsExactly(
                "OK TAKEOVER", "@seq=42 NOTE x", "ITEM", "OK EVENT", "@seq=43 NOTE x");
        Session bob = plugin.takenOver;
        assertThat(bob.lastSeq()).isEqualTo(43);
        assertThatThrownBy(() -> plugin.retention.continueSequence(bob, 7))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("numbered already");
    }

    @Nested
    @DisplayName("a registered session whose connection drops")
    class Dropped {
        @Test
        @DisplayName("is detached, not ended, until endExpired finds it past the grace")
        void detachedUntilGrace() throws Exception {
            FakeConnection c = connect();
            c.handler.frame(parse("NAME alice"));
            c.next();
            Session alice = core.all().iterator().next();
            plugin.retention.drop(alice, ByeReason.TIMEOUT, "silent");
            assertThat(c.next().toString()).isEqualTo("BYE TIMEOUT :silent");
            assertThat(c.awaitClosed()).isTrue();
            // The close is processed on a worker after the connection reports it: wait for the detach.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (plugin.retention.idleTime(alice).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(plugin.retention.idleTime(alice)).isEmpty();
            assertThat(plugin.ended.poll(50, TimeUnit.MILLISECONDS)).isNull();
            assertThat(alice.isOpen()).isTrue();
            assertThat(plugin.retention.endExpired()).isZero();
            Thread.sleep(160); // let the 150 ms grace pass
            assertThat(plugin.retention.endExpired()).isEqualTo(1);
            assertThat(plugin.ended.poll(5, TimeUnit.SECONDS)).isEqualTo("alice:connection lost");
            assertThat(alice.isOpen()).isFalse();
        }

        @Test
        @DisplayName("ends at once when closed by the server, and an unregistered one ends at once when dropped")
        void endsAtOnce() throws Exception {
            FakeConnection a = connect();
            a.handler.frame(parse("NAME alice"));
            a.next();
            FakeConnection b = connect();
            for (Session s : core.all()) {
                if (s.isRegistered()) {
                    s.close(ByeReason.SHUTDOWN, "kicked");
                } else {
                    plugin.retention.drop(s, ByeReason.TIMEOUT, "silent");
                }
            }
            assertThat(List.of(plugin.ended.poll(5, TimeUnit.SECONDS), plugin.ended.poll(5, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder("alice:kicked", "*:silent");
        }
    }

    @Test
    @DisplayName("a second plugin turning retention on stops start-up")
    void once() {
        ServerCore twice = new ServerCore(new CoreSettings("parley", 1, 8), ConfigFactory.load(),
                List.of(new RetainingPlugin(), new RetainingPlugin() {
                    @Override
                    public String name() {
                        return "again";
                    }

                    @Override
                    public List<Command> commands() {
                        return List.of();
                    }
                }), "test");
        assertThatThrownBy(twice::start).isInstanceOf(StartupException.class).hasMessageContaining("'again'");
        twice.shutdown(Duration.ofSeconds(1));
    }

    @Test
    @DisplayName("the default two-part write sends the prefix, then the body from the offset, as one array")
    void twoPartWrite() {
        StringBuilder out = new StringBuilder();
        Connection connection = new WriteOnlyConnection() {
            @Override
            public boolean write(byte[] encoded) {
                out.append(new String(encoded, StandardCharsets.UTF_8));
                return true;
            }
        };
        byte[] body = "@a=1 NOTE\n".getBytes(StandardCharsets.UTF_8);
        assertThat(connection.write("@seq=4;".getBytes(StandardCharsets.UTF_8), body, 1)).isTrue();
        assertThat(out).hasToString("@seq=4;a=1 NOTE\n");
    }
}
