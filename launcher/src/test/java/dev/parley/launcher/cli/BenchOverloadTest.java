package dev.parley.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.client.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #21's overload scenarios of {@code parley bench} against a real server over loopback: a room member that
 * never reads ({@code fanout --stalled-members}) and the PING flood ({@code flood}), briefly, with their RESULT
 * fields checked for presence and sense.
 */
class BenchOverloadTest {
    /** Short, so the stalled member is cut off well inside the run. */
    private static final Map<String, String> SLOW_CONSUMER_2S = Map.of("parley.limits.slow-consumer-timeout", "2s");

    @TempDir
    Path spool;

    @Test
    @DisplayName("fanout --stalled-members 1: the member that never reads is cut off within the run, the readers are not")
    void stalledMember() throws IOException {
        String result = result(bench(SLOW_CONSUMER_2S, "fanout", "-S", "6", "-P", "2", "--stalled-members", "1",
                "-d", "12", "--warmup", "0"));

        assertThat(result).contains("\"stalled_members\":1", "\"stalled_cut_off\":1", "\"cut_off\":0",
                "\"stalled_seen_by\":\"server-socket-state\"");
        // The server decides after 2 s without a byte accepted (once the kernel's buffers are full) and closes the
        // socket after its close grace of 5 s: well inside the 12 s run, even on a loaded machine.
        assertThat(number(result, "stalled_cut_off_max_s")).isBetween(2.0, 12.0);
        assertThat(number(result, "deliveries_per_s")).isPositive();
        assertThat(number(result, "delivered_per_acknowledged")).isGreaterThan(0.9);
    }

    @Test
    @DisplayName("fanout without stalled members reports none of the stalled fields")
    void noStalledFields() throws IOException {
        String result = result(bench(Map.of(), "fanout", "-S", "3", "-P", "1", "-d", "1", "--warmup", "0"));
        assertThat(result).doesNotContain("stalled_");
    }

    @Test
    @DisplayName("flood: the probe is answered throughout, the flood is written, the server is alive at the end")
    void flood() throws IOException {
        long self = ProcessHandle.current().pid(); // the server runs in this JVM
        String result = result(bench(Map.of(), "flood", "-C", "10", "-b", "1MiB", "-d", "4", "--sources", "2",
                "--pid", Long.toString(self)));

        assertThat(result).contains("\"connections\":10", "\"bytes_per_connection\":1048576", "\"probe_cut_off\":false",
                "\"server_alive\":true");
        assertThat(number(result, "probes")).isBetween(20.0, 45.0); // one per 100 ms for 4 s
        assertThat(number(result, "probes_answered")).isPositive();
        assertThat(number(result, "probes_answered") + number(result, "probes_late")).isGreaterThanOrEqualTo(number(result, "probes"));
        assertThat(number(result, "probe_p99_us")).isPositive().isLessThanOrEqualTo(number(result, "probe_max_us"));
        assertThat(number(result, "sent_bytes")).isPositive().isLessThanOrEqualTo(10.0 * 1048576);
        assertThat(number(result, "flood_cut_off")).isBetween(0.0, 10.0);
        assertThat(number(result, "server_rss_max_kib")).isPositive();
    }

    @Test
    @DisplayName("flood --term-after sends SIGTERM to --pid and reports how long the process took to exit")
    void termAfter() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start(); // ends at once on SIGTERM
        try {
            String result = result(bench(Map.of(), "flood", "-C", "2", "-b", "64KiB", "-d", "5", "--term-after", "1",
                    "--pid", Long.toString(sleeper.pid())));
            assertThat(result).contains("\"server_alive\":true", "\"term_after_s\":1.000");
            assertThat(number(result, "term_exit_ms")).isBetween(0.0, 3000.0);
            assertThat(sleeper.isAlive()).isFalse();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    /** Runs {@code parley bench <args>} against a fresh server with these settings; returns its standard output. */
    private String bench(Map<String, String> settings, String scenario, String... options) throws IOException {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try (TestServer server = TestServer.start(spool, settings)) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            List<String> args = new ArrayList<>(List.of("bench", scenario, "--port", Integer.toString(server.port())));
            args.addAll(List.of(options));
            String[] argv = args.toArray(String[]::new);
            var commandLine = ParleyCommand.commandLine(argv);
            commandLine.setErr(new PrintWriter(err, true));
            exit = commandLine.execute(argv);
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertThat(exit).as(err.toString()).isZero();
        return out;
    }

    private static String result(String out) {
        return out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
    }

    private static double number(String result, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(result);
        assertThat(m.find()).as(key + " in " + result).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
