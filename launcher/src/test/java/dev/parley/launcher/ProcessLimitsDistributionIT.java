package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server at the edges of its process: an OutOfMemoryError ends it (so a supervisor restarts it).
 */
@DisplayName("the distribution at its process limits")
class ProcessLimitsDistributionIT {
    private static final String ON_OOM = "-XX:+ExitOnOutOfMemoryError";

    @TempDir
    Path tmp;
    private final List<ParleyProcess> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.process.destroyForcibly());
    }

    /** {@code bin/parley server} with JAVA_OPTS and extra environment, optionally behind a command prefix. */
    private ParleyProcess server(String javaOpts, Map<String, String> env, String... prefix) throws IOException {
        List<String> command = new ArrayList<>(List.of(prefix));
        command.add(ParleyProcess.DIST.resolve("bin/parley").toString());
        command.add("server");
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "-Dparley.server.port=0 -Dparley.filetransfer.spool-dir="
                + tmp.resolve("spool") + " " + javaOpts);
        builder.environment().putAll(env);
        ParleyProcess server = new ParleyProcess(builder.start());
        servers.add(server);
        return server;
    }

    @Test
    @DisplayName("bin/parley runs the JVM with -XX:+ExitOnOutOfMemoryError unless PARLEY_ON_OOM is set empty")
    void onOomFlag() throws Exception {
        ParleyProcess byDefault = server("", Map.of());
        byDefault.awaitListening();
        assertThat(byDefault.process.toHandle().info().arguments()).hasValueSatisfying(
                args -> assertThat(args).contains(ON_OOM));

        ParleyProcess turnedOff = server("", Map.of("PARLEY_ON_OOM", ""));
        turnedOff.awaitListening();
        assertThat(turnedOff.process.toHandle().info().arguments()).hasValueSatisfying(
                args -> assertThat(args).doesNotContain(ON_OOM));
    }

    @Test
    @DisplayName("an OutOfMemoryError in a running server ends the process at once (exit code 3), instead of leaving it half-dead")
    void outOfMemoryExits() throws Exception {
        // A heap far below what the (raised) payload limit lets one frame hold: buffering it runs the heap out.
        ParleyProcess server = server("-Xmx32m -Dparley.limits.max-payload-bytes=512m", Map.of());
        int port = Integer.parseInt(server.awaitListening().group(2));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("@size=400000000 PING x\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 380 && server.process.isAlive(); i++) {
                out.write(chunk);
            }
        } catch (IOException connectionCut) {
            // the process ended under the upload
        }
        assertThat(server.awaitExit()).as("exit code; output:\n%s", server.output()).isEqualTo(3);
        assertThat(server.finalOutput()).contains("Terminating due to java.lang.OutOfMemoryError");
    }
}
