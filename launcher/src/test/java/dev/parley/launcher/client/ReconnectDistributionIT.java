package dev.parley.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario with real processes: {@code parley chat} fed through a pipe while {@code parley server}
 * is stopped with SIGTERM and started again on the same port.
 */
class ReconnectDistributionIT {
    private static final Path DIST = Path.of(System.getProperty("parley.dist", "target/parley")).toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+) ");

    @TempDir
    Path tmp;

    private final List<Parley> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(parley -> parley.process.destroyForcibly());
    }

    @Test
    @DisplayName("a piped parley chat in #r survives a server restart on the same port and its next line arrives")
    void chatSurvivesARestart() throws Exception {
        Parley first = start(tmp, "server", "--port", "0");
        int port = first.awaitPort();
        Parley chat = start(tmp, "chat", "--port", Integer.toString(port), "--nick", "zed", "--room", "#r",
                "--reconnect-initial", "0.2", "--reconnect-max", "0.5");
        chat.awaitLine(line -> line.contains("You joined #r"));

        first.process.destroy(); // SIGTERM: the chat reads BYE SHUTDOWN
        assertThat(first.awaitExit()).as(first::output).isZero();
        Parley second = start(tmp, "server", "--port", Integer.toString(port));
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

    private Parley start(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/parley").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "");
        Parley parley = new Parley(builder.start());
        started.add(parley);
        return parley;
    }

    /** A running parley process whose output (both streams) is collected line by line. */
    private static final class Parley {
        final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer output = new StringBuffer();
        private final Thread reader;

        Parley(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "parley-output");
            reader.setDaemon(true);
            reader.start();
        }

        int awaitPort() throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        return Integer.parseInt(matcher.group(1));
                    }
                } else if (!process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("no listening line; output:\n" + output);
        }

        String awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && wanted.test(line)) {
                    return line;
                }
            }
            throw new AssertionError("no such line; output:\n" + output);
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exited; output:\n" + output).isTrue();
            reader.join(TIMEOUT.toMillis());
            return process.exitValue();
        }

        String output() {
            return output.toString();
        }
    }
}
