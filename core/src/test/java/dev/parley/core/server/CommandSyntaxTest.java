package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A command declares its syntax once: the dispatcher checks the argument count with it and HELP shows it. */
class CommandSyntaxTest {
    private final AtomicInteger handled = new AtomicInteger();
    private ServerCore core;
    private FakeConnection c;

    private record Plugin(String name, List<Command> commands) implements ParleyPlugin {
    }

    @BeforeEach
    void start() throws Exception {
        ParleyPlugin plugin = new Plugin("test", List.of(
                Command.sync("JOIN", "Enter a room", this::count).withUsage("<#room> [key]").beforeRegistration(),
                Command.sync("TELL", "Send a private message", this::count).withUsage("<nick> :<text>"),
                Command.sync("ROOMS", "List the rooms", this::count).withUsage("").beforeRegistration(),
                Command.sync("ROLL", "Roll dice: ROLL <N>d<M> [#room]", this::count).beforeRegistration()));
        core = new ServerCore(new CoreSettings("parley", 2, 8), ConfigFactory.load(), List.of(plugin), "test");
        core.start();
        c = new FakeConnection();
        InboundHandler in = core.connected(c);
        c.handler = in;
        c.next(); // HELLO
    }

    @AfterEach
    void stop() {
        core.shutdown(Duration.ofSeconds(1));
    }

    private Reply count(dev.parley.core.spi.Request request) {
        handled.incrementAndGet();
        return Reply.ok(Integer.toString(request.arguments().size()));
    }

    private String answer(String line) throws Exception {
        c.handler.frame(FrameParser.parse(line));
        return c.next().toString();
    }

    @Test
    @DisplayName("too few or too many arguments: ERR <VERB> BAD_ARGUMENT :usage: <VERB> <usage>, the handler is not called")
    void wrongCount() throws Exception {
        assertThat(answer("@id=j1 JOIN")).isEqualTo("@id=j1 ERR JOIN BAD_ARGUMENT :usage: JOIN <#room> [key]");
        assertThat(answer("JOIN #a key :extra")).isEqualTo("ERR JOIN BAD_ARGUMENT :usage: JOIN <#room> [key]");
        assertThat(answer("ROOMS all")).isEqualTo("ERR ROOMS BAD_ARGUMENT :usage: ROOMS");
        assertThat(handled).hasValue(0);
    }

    @Test
    @DisplayName("a fitting count reaches the handler, the trailing counting as one argument, empty or not")
    void rightCount() throws Exception {
        assertThat(answer("JOIN #a")).isEqualTo("OK JOIN 1");
        assertThat(answer("JOIN #a secret")).isEqualTo("OK JOIN 2");
        assertThat(answer("JOIN #a :")).isEqualTo("OK JOIN 2");
        assertThat(answer("ROOMS")).isEqualTo("OK ROOMS 0");
        assertThat(handled).hasValue(4);
    }

    @Test
    @DisplayName("registration is checked before the syntax")
    void registrationFirst() throws Exception {
        assertThat(answer("TELL")).startsWith("ERR TELL NOT_REGISTERED ");
    }

    @Test
    @DisplayName("a command without a declared syntax gets every count, as before SPI 1.4")
    void undeclared() throws Exception {
        assertThat(answer("ROLL")).isEqualTo("OK ROLL 0");
        assertThat(answer("ROLL 2d6 #a b c :d")).isEqualTo("OK ROLL 5");
    }

    @Test
    @DisplayName("HELP shows <VERB> <usage> - <summary>, and only the summary when no syntax is declared")
    void help() throws Exception {
        c.handler.frame(FrameParser.parse("HELP"));
        List<String> lines = c.next(8).stream().map(Frame::toString).toList();
        assertThat(lines).contains(
                "COMMAND JOIN test :JOIN <#room> [key] - Enter a room",
                "COMMAND ROLL test :Roll dice: ROLL <N>d<M> [#room]",
                "COMMAND ROOMS test :ROOMS - List the rooms",
                "COMMAND TELL test :TELL <nick> :<text> - Send a private message",
                "OK HELP 7");
    }
}
