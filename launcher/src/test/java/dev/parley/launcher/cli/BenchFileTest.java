package dev.parley.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.cli.BenchCommand;
import dev.parley.launcher.client.TestServer;
import dev.parley.client.files.FileUpload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        String out = bench("-X", "3", "--warmup", "1", "--chunk-bytes", "300000", "--verify");

        assertThat(out).contains("warm-up: a file of 1048576 bytes");
        assertThat(result(out)).contains("\"size_bytes\":3145728", "\"warmup_bytes\":1048576", "\"verified\":true");
    }

    @Test
    @DisplayName("without --warmup the warm-up file is as large as the measured one (up to 64 MiB); --warmup 0 skips it")
    void defaultWarmUp() throws IOException {
        assertThat(result(bench("-X", "2"))).contains("\"size_bytes\":2097152", "\"warmup_bytes\":2097152");
        assertThat(result(bench("-X", "1", "--warmup", "0"))).contains("\"warmup_bytes\":0");
    }

    @Test
    @DisplayName("bench file chunks a file as parley send does, by default: same CHUNK size, same window")
    void chunksAsParleySends() throws IOException {
        assertThat(BenchCommand.FILE_CHUNK_BYTES).isEqualTo(FileUpload.CHUNK_BYTES);
        assertThat(BenchCommand.FILE_WINDOW).isEqualTo(FileUpload.WINDOW);
        assertThat(result(bench("-X", "1", "--warmup", "0")))
                .contains("\"chunk_bytes\":" + FileUpload.CHUNK_BYTES, "\"window\":" + FileUpload.WINDOW);
    }

    /** Runs {@code parley bench file} with these options against a fresh server; returns its standard output. */
    private String bench(String... options) throws IOException {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try (TestServer server = TestServer.start(spool)) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            List<String> args = new ArrayList<>(List.of("bench", "file", "--port", Integer.toString(server.port())));
            args.addAll(List.of(options));
            String[] argv = args.toArray(String[]::new);
            var commandLine = ParleyCommand.commandLine(argv);
            commandLine.setErr(new PrintWriter(err, true));
            exit = commandLine.execute(argv);
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).as(err.toString()).isZero();
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static String result(String out) {
        return out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
    }
}
