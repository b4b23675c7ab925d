package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.SessionAuthentication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Core's side of authentication: the NOT_AUTHENTICATED gate and the one-holder authentication handle. */
class AuthenticationGateTest {

    /** Authenticates sessions with LOGIN <account>; offers a command for each combination of the rules. */
    static final class Authenticator implements ParleyPlugin {
        private final boolean required;
        SessionAuthentication handle;

        Authenticator(boolean required) {
            this.required = required;
        }

        @Override
        public String name() {
            return "authenticator";
        }

        @Override
        public void start(PluginContext context) {
            handle = context.authenticateSessions(required);
        }

        @Override
        public List<Command> commands() {
            return List.of(
                    Command.sync("LOGIN", "Authenticate", r -> {
                        handle.authenticate(r.session(), r.argument(0));
                        return Reply.ok(r.session().account().orElseThrow());
                    }).beforeAuthentication(),
                    Command.sync("NAME", "Register", r -> {
                        r.session().register(r.argument(0));
                        return Reply.ok(r.argument(0));
                    }).beforeRegistration(),
                    Command.sync("SECRET", "Needs both", r -> Reply.ok()));
        }
    }

    private final List<ServerCore> cores = new ArrayList<>();

    private ServerCore start(ParleyPlugin... plugins) {
        ServerCore core = new ServerCore(new CoreSettings("parley", 2, 8), ConfigFactory.load(), List.of(plugins),
                "test");
        cores.add(core);
        core.start();
        return core;
    }

    @AfterEach
    void stop() {
        cores.forEach(c -> c.shutdown(Duration.ofSeconds(2)));
    }

    private static String ask(FakeConnection c, InboundHandler in, String line) throws Exception {
        in.frame(FrameParser.parse(line));
        return c.next().toString();
    }

    @Test
    @DisplayName("when required, commands answer NOT_AUTHENTICATED (before NOT_REGISTERED) until the session has an"
            + " account; HELP, QUIT and commands marked beforeAuthentication run")
    void gate() throws Exception {
        ServerCore core = start(new Authenticator(true));
        FakeConnection c = new FakeConnection();
        InboundHandler in = core.connected(c);
        c.handler = in;
        c.next();
        assertThat(ask(c, in, "SECRET")).startsWith("ERR SECRET NOT_AUTHENTICATED :");
        assertThat(ask(c, in, "NAME alice")).startsWith("ERR NAME NOT_AUTHENTICATED :");
        in.frame(FrameParser.parse("HELP"));
        String line;
        while ((line = c.next().toString()).startsWith("COMMAND ")) {
            assertThat(line).isNotEmpty();
        }
        assertThat(line).startsWith("OK HELP");
        assertThat(ask(c, in, "LOGIN alice")).isEqualTo("OK LOGIN alice");
        assertThat(ask(c, in, "SECRET")).startsWith("ERR SECRET NOT_REGISTERED");
        assertThat(ask(c, in, "NAME alice")).isEqualTo("OK NAME alice");
        assertThat(ask(c, in, "SECRET")).isEqualTo("OK SECRET");
        assertThat(ask(c, in, "QUIT")).isEqualTo("OK QUIT");
    }

    @Test
    @DisplayName("QUIT works before authentication")
    void quit() throws Exception {
        ServerCore core = start(new Authenticator(true));
        FakeConnection c = new FakeConnection();
        InboundHandler in = core.connected(c);
        c.handler = in;
        c.next();
        assertThat(ask(c, in, "QUIT")).isEqualTo("OK QUIT");
    }

    @Test
    @DisplayName("when not required, the gate stays open and sessions still get accounts")
    void optional() throws Exception {
        ServerCore core = start(new Authenticator(false));
        FakeConnection c = new FakeConnection();
        InboundHandler in = core.connected(c);
        c.handler = in;
        c.next();
        assertThat(ask(c, in, "NAME bob")).isEqualTo("OK NAME bob");
        assertThat(core.all().iterator().next().account()).isEmpty();
        assertThat(ask(c, in, "LOGIN bob")).isEqualTo("OK LOGIN bob");
        assertThat(core.all().iterator().next().account()).contains("bob");
    }

    @Test
    @DisplayName("a second plugin asking to authenticate sessions stops start-up naming it")
    void oneAuthenticator() {
        Authenticator first = new Authenticator(false);
        ParleyPlugin second = new ParleyPlugin() {
            @Override
            public String name() {
                return "impostor";
            }

            @Override
            public void start(PluginContext context) {
                context.authenticateSessions(false);
            }
        };
        assertThatThrownBy(() -> start(first, second)).isInstanceOf(StartupException.class)
                .hasMessageContaining("impostor");
    }
}
