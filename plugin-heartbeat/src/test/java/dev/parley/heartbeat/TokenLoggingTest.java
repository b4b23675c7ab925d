package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.core.protocol.Frame;
import dev.parley.testkit.TestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TokenLoggingTest extends ServerHarness {
    static {
        // Surefire puts logback on the module path as a test-only module the plugin's module does not read.
        Module self = TokenLoggingTest.class.getModule();
        for (String name : List.of("ch.qos.logback.classic", "ch.qos.logback.core")) {
            ModuleLayer.boot().findModule(name).ifPresent(self::addReads);
        }
    }

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Level before = root.getLevel();

    TokenLoggingTest() {
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.TRACE);
    }

    @AfterEach
    void detach() {
        root.detachAppender(captured);
        root.setLevel(before);
    }

    @Test
    @DisplayName("registering, dropping, resuming and failed resumes log no token")
    void noTokenInLogs() {
        start("interval = 100ms, timeout = 300ms, register-timeout = 10s, resume-grace = 10s");
        List<String> tokens = new ArrayList<>();
        TestClient a = connect();
        tokens.add(nick(a, "alice"));
        a.close();
        TestClient a2 = connect();
        a2.send("RESUME " + tokens.get(0));
        Frame ok;
        while (!(ok = a2.nextFrame()).verb().equals("OK")) {
            assertThat(ok.toString()).contains("PING");
        }
        assertThat(ok.toString()).startsWith("OK RESUME");
        tokens.add(ok.param(2));
        TestClient stranger = connect();
        stranger.send("RESUME " + tokens.get(0) + " 0");
        assertThat(stranger.reply()).startsWith("ERR RESUME NO_SUCH_SESSION");
        stranger.send("RESUME " + tokens.get(1) + " 999");
        assertThat(stranger.reply()).startsWith("ERR RESUME BAD_ARGUMENT");

        assertThat(captured.list).as("something was logged, so the check means something")
                .anyMatch(e -> e.getFormattedMessage().contains("resumed"));
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage() + " " + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            for (String token : tokens) {
                assertThat(text).doesNotContain(token);
            }
        }
    }
}
