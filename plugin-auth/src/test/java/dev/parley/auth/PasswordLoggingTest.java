package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.testkit.TestClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PasswordLoggingTest extends AuthServer {
    static {
        // Surefire puts logback on the module path as a test-only module the plugin's module does not read.
        Module self = PasswordLoggingTest.class.getModule();
        for (String name : List.of("ch.qos.logback.classic", "ch.qos.logback.core")) {
            ModuleLayer.boot().findModule(name).ifPresent(self::addReads);
        }
    }

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Level before = root.getLevel();

    PasswordLoggingTest() {
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
    @DisplayName("AUTH with a wrong and a right password, and a refused one, logs neither password")
    void noPasswordInLogs() {
        start(USERS + ", failure-delay = 0s, max-failures = 2");
        String wrong = "hunter2-wrong-guess";
        TestClient c = connect();
        assertThat(ask(c, "AUTH alice " + wrong)).startsWith("ERR AUTH BAD_CREDENTIALS");
        assertThat(ask(c, "AUTH alice :" + ALICE_PASSWORD)).isEqualTo("OK AUTH alice");
        TestClient d = connect();
        ask(d, "AUTH " + wrong + " " + wrong);
        assertThat(ask(d, "AUTH alice " + wrong)).startsWith("ERR AUTH TOO_MANY_ATTEMPTS");

        assertThat(captured.list).as("something was logged at each step, so the check means something")
                .anyMatch(e -> e.getFormattedMessage().contains("authenticated as alice"))
                .anyMatch(e -> e.getFormattedMessage().contains("failed AUTH"))
                .anyMatch(e -> e.getFormattedMessage().contains("too many failures"));
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage() + " " + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain(wrong).doesNotContain(ALICE_PASSWORD);
        }
    }
}
