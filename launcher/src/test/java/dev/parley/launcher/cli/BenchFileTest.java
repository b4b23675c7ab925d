package dev.parley.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.client.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley bench file} against a real server over loopback: both hops, the warm-up and the check. */
class BenchFileTest {
    @TempDir
    Path spool;

    @Test
    @DisplayName("bench file warms up with a smaller file, then moves the measured one up and back with its SHA-256 checked")
    void warmUpThenMeasured() throws IOException {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try (TestServer server = TestServer.start(spool)) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            String[] args = {"bench", "file", "--port", Integer.toString(server.port()), "-X", "3", "--warmup", "1",
                    "--chunk-bytes", "300000", "--verify"};
            var commandLine = ParleyCommand.commandLine(args);
            commandLine.setErr(new PrintWriter(err, true));
            exit = commandLine.execute(args);
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out).contains("warm-up: a file of 1048576 bytes");
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        assertThat(line).contains("\"size_bytes\":3145728", "\"warmup_bytes\":1048576", "\"verified\":true");
        // Both files reached the spool whole: the warm-up's 1 MiB and the measured 3 MiB.
        try (Stream<Path> files = Files.list(spool)) {
            List<Long> sizes = files.filter(p -> p.toString().endsWith(".file"))
                    .map(p -> p.toFile().length()).sorted().toList();
            assertThat(sizes).containsExactly(1L << 20, 3L << 20);
        }
    }
}
