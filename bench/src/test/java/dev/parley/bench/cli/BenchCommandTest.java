package dev.parley.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = BenchCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));
        commandLine.setOut(new PrintWriter(new StringWriter()));
        return commandLine.execute(args);
    }

    @Test
    @DisplayName("a non-loopback host is a usage error (exit 2) before any connection is made")
    void nonLoopback() {
        assertThat(run("fanout", "--host", "10.1.2.3", "-d", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("loopback");
    }

    @Test
    @DisplayName("an unknown target is a usage error")
    void unknownTarget() {
        assertThat(run("rooms", "--target", "xmpp")).isEqualTo(2);
        assertThat(err.toString()).contains("parley, nats or irc");
    }

    @Test
    @DisplayName("more publishers than members is a usage error")
    void publishers() {
        assertThat(run("fanout", "-S", "3", "-P", "4")).isEqualTo(2);
        assertThat(err.toString()).contains("publishers");
    }

    @Test
    @DisplayName("an unbounded or negative duration is a usage error")
    void duration() {
        assertThat(run("fanout", "-d", "0")).isEqualTo(2);
        assertThat(run("fanout", "-d", "-3")).isEqualTo(2);
    }

    @Test
    @DisplayName("without a scenario the command says which exist")
    void noScenario() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("fanout, rooms, many, idle, flood, file, startup or soak");
    }

    @Test
    @DisplayName("sizes take binary suffixes; a word is a usage error")
    void sizes() {
        assertThat(BenchCommand.size("6MiB")).isEqualTo(6L << 20);
        assertThat(BenchCommand.size("512k")).isEqualTo(512L << 10);
        assertThat(BenchCommand.size("4000")).isEqualTo(4000);
        assertThat(run("flood", "-b", "lots")).isEqualTo(2);
        assertThat(err.toString()).contains("not a size");
    }

    @Test
    @DisplayName("the flood is Parley's only; --term-after needs --pid; more stalled members than readers is refused")
    void floodAndStalledArguments() {
        assertThat(run("flood", "--target", "nats")).isEqualTo(2);
        assertThat(err.toString()).contains("--target parley");
        assertThat(run("flood", "--term-after", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--pid");
        assertThat(run("fanout", "-S", "5", "-P", "2", "--stalled-members", "4")).isEqualTo(2);
        assertThat(err.toString()).contains("stalled members");
    }
}
