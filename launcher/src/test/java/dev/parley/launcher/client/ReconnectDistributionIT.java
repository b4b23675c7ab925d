package dev.parley.launcher.client;

import dev.parley.launcher.ParleyProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario with real processes: {@code parley chat} fed through a pipe while {@code parley server}
 * is stopped with SIGTERM and started again on the same port.
 */
class ReconnectDistributionIT {

    @TempDir
    Path tmp;

    private final List<ParleyProcess> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(parley -> parley.process.destroyForcibly());
    }

    @Test
    @DisplayName("a piped parley chat in #r survives a server restart on the same port and its next line arrives")
    void chatSurvivesARestart() throws Exception {
        ParleyProcess first = start(tmp, "server", "--port", "0");
        int port = first.awaitPort();
        ParleyProcess chat = start(tmp, "chat", "--port", Integer.toString(port), "--nick", "zed", "--room", "#r",
                "--reconnect-initial", "0.2", "--reconnect-max", "0.5");
        chat.awaitLine(line -> line.contains("You joined #r"));

        first.process.destroy(); // SIGTERM: the chat reads BYE SHUTDOWN
        assertThat(first.awaitExit()).as(first::output).isZero();
        ParleyProcess second = start(tmp, "server", "--port", Integer.toString(port));
        assertThat(second.awaitPort()).isEqualTo(port);

        try (RawClient amy = RawClient.member(port, "amy", "#r");
             OutputStream stdin = chat.process.getOutputStream()) {
            amy.send("WHO #r");
            amy.await(line -> line.equals("MEMBER #r zed") || line.endsWith("JOINED #r zed"));
            stdin.write("after the restart\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            assertThat(amy.await(line -> line.contains(" MSG "))).endsWith("MSG #r zed :after the restart");
        }
        assertThat(chat.awaitExit()).as(chat::output).isZero();
        assertThat(chat.output()).contains("the server is shutting down [SHUTDOWN]", "reconnecting in ",
                "Reconnected as zed in a new session", "rejoined #r").doesNotContain("Exception");
    }

    private ParleyProcess start(Path workDir, String... args) throws IOException {
        ParleyProcess parley = ParleyProcess.start(workDir, args);
        started.add(parley);
        return parley;
    }

}
