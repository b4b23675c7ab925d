package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Core's own commands and how it gathers the plugins' commands. */
class CoreCommandsTest {
    private final List<ServerCore> cores = new ArrayList<>();

    @AfterEach
    void stop() {
        cores.forEach(core -> core.shutdown(Duration.ofSeconds(1)));
    }

    private ServerCore core(ParleyPlugin... plugins) {
        ServerCore core = new ServerCore(new CoreSettings("parley", 2, 8), ConfigFactory.load(), List.of(plugins), "test");
        cores.add(core);
        return core;
    }

    private static FakeConnection connect(ServerCore core) throws Exception {
        FakeConnection c = new FakeConnection();
        InboundHandler in = core.connected(c);
        c.handler = in;
        c.next(); // HELLO
        return c;
    }

    private static void send(FakeConnection c, String line) throws Exception {
        c.handler.frame(FrameParser.parse(line));
    }

    private record Plugin(String name, List<Command> commands) implements ParleyPlugin {
    }

    @Nested
    @DisplayName("ECHO")
    class Echo {
        @Test
        @DisplayName("ECHO :<text> is answered OK ECHO :<text>, before registration, with the id tag")
        void echoes() throws Exception {
            ServerCore core = core();
            core.start();
            FakeConnection c = connect(core);
            send(c, "@id=e1 ECHO :hello, world");
            assertThat(c.next().toString()).isEqualTo("@id=e1 OK ECHO :hello, world");
            send(c, "ECHO hello");
            assertThat(c.next().toString()).isEqualTo("ERR ECHO BAD_ARGUMENT :the text is trailing: ECHO :<text>,"
                    + " e.g. ECHO :hello");
            send(c, "ECHO a :b");
            assertThat(c.next().toString()).isEqualTo("ERR ECHO BAD_ARGUMENT :usage: ECHO :<text>");
            send(c, "HELP");
            assertThat(c.next(4).stream().map(Frame::toString))
                    .contains("COMMAND ECHO core :ECHO :<text> - Answer with the text sent, to try a connection")
                    .contains("OK HELP 3");
        }

        @Test
        @DisplayName("works before authentication when a plugin makes it mandatory")
        void beforeAuthentication() throws Exception {
            ParleyPlugin gate = new ParleyPlugin() {
                @Override
                public String name() {
                    return "gate";
                }

                @Override
                public void start(PluginContext context) {
                    context.authenticateSessions(true);
                }
            };
            ServerCore core = core(gate);
            core.start();
            FakeConnection c = connect(core);
            send(c, "ECHO :still here");
            assertThat(c.next().toString()).isEqualTo("OK ECHO :still here");
        }

        @Test
        @DisplayName("a plugin's own ECHO stays its own")
        void pluginEchoWins() throws Exception {
            ServerCore core = core(new Plugin("mine", List.of(
                    Command.sync("ECHO", "mine", r -> Reply.ok("from-plugin")).beforeRegistration())));
            core.start();
            FakeConnection c = connect(core);
            send(c, "ECHO :x");
            assertThat(c.next().toString()).isEqualTo("OK ECHO from-plugin");
        }
    }

    @Nested
    @DisplayName("gathering commands")
    class Gathering {
        @Test
        @DisplayName("two commands with one verb in one plugin get a message for that case")
        void sameVerbTwiceInOnePlugin() {
            ServerCore core = core(new Plugin("twice", List.of(
                    Command.sync("FOO", "a", r -> Reply.ok()), Command.sync("foo", "b", r -> Reply.ok()))));
            assertThatThrownBy(core::start).isInstanceOf(StartupException.class)
                    .hasMessage("plugin 'twice' lists two commands with the verb FOO in its commands(); each verb"
                            + " may appear once (a plugin bug: its author must fix it)");
        }

        @Test
        @DisplayName("commands() is asked after every plugin started, so it may depend on a later plugin's service")
        void commandsAfterEveryStart() throws Exception {
            ParleyPlugin early = new ParleyPlugin() {
                private PluginContext context;

                @Override
                public String name() {
                    return "early";
                }

                @Override
                public void start(PluginContext context) {
                    this.context = context;
                }

                @Override
                public List<Command> commands() {
                    return context.lookup(StringBuilder.class).isPresent()
                            ? List.of(Command.sync("LATE", "needs the later plugin", r -> Reply.ok())) : List.of();
                }
            };
            ParleyPlugin later = new ParleyPlugin() {
                @Override
                public String name() {
                    return "later";
                }

                @Override
                public void start(PluginContext context) {
                    context.provide(StringBuilder.class, new StringBuilder());
                }
            };
            ServerCore core = core(early, later);
            core.start();
            FakeConnection c = connect(core);
            send(c, "LATE");
            assertThat(c.next().toString()).isEqualTo("ERR LATE NOT_REGISTERED :register first (NICK <name>), then"
                    + " send LATE again");
        }

        @Test
        @DisplayName("an exception in a plugin's start() stops start-up naming the plugin and the exception")
        void startFailure() {
            ParleyPlugin broken = new ParleyPlugin() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public void start(PluginContext context) {
                    throw new IllegalStateException("no database");
                }
            };
            ServerCore core = core(broken);
            assertThatThrownBy(core::start).isInstanceOf(StartupException.class)
                    .hasMessage("plugin 'broken' failed to start: java.lang.IllegalStateException: no database"
                            + " (stack trace in the log)")
                    .hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    @DisplayName("a plugin's configuration errors")
    class PluginConfiguration {
        private ServerCore dice(String conf) {
            ParleyPlugin dice = new ParleyPlugin() {
                @Override
                public String name() {
                    return "dice";
                }

                @Override
                public void start(PluginContext context) {
                    context.config().getInt("max-options");
                }
            };
            ServerCore core = new ServerCore(new CoreSettings("parley", 1, 8),
                    ConfigFactory.parseString(conf).withFallback(ConfigFactory.load()), List.of(dice), "test");
            cores.add(core);
            return core;
        }

        @Test
        @DisplayName("a value of the wrong type names the full key and points to the plugin's reference.conf")
        void wrongType() {
            assertThatThrownBy(dice("parley.dice.max-options = lots")::start).isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("plugin 'dice' failed to start: configuration error: ")
                    .hasMessageContaining("parley.dice.max-options has type STRING")
                    .hasMessageEndingWith("; the keys of parley.dice and their defaults are documented in the"
                            + " plugin's reference.conf");
        }

        @Test
        @DisplayName("a missing key names the full key")
        void missing() {
            assertThatThrownBy(dice("parley.dice.other = 1")::start).isInstanceOf(StartupException.class)
                    .hasMessageContaining("'parley.dice.max-options'");
        }
    }

    @Nested
    @DisplayName("events")
    class Events {
        @Test
        @DisplayName("an event with the verb OK, ERR or BYE is refused, to one session and to many; others go out")
        void replyVerbsRefused() throws Exception {
            ServerCore core = core();
            core.start();
            FakeConnection c = connect(core);
            dev.parley.core.spi.Session session = core.all().iterator().next();
            for (String verb : List.of("OK", "ERR", "BYE", "ok")) {
                Frame event = Frame.of(verb).param("SAY").build();
                assertThatThrownBy(() -> session.send(event)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("an event cannot have the verb " + verb.toUpperCase());
                assertThatThrownBy(() -> core.send(List.of(session), event)).isInstanceOf(IllegalArgumentException.class);
            }
            session.send(Frame.of("NOTICE").trailing("fine").build());
            assertThat(c.next().toString()).isEqualTo("NOTICE :fine");
        }
    }
}
