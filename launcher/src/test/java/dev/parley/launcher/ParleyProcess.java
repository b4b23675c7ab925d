package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running {@code bin/parley} process of the packaged distribution, its output (both streams, merged by the
 * caller's ProcessBuilder) collected line by line, for the integration tests that start real processes.
 */
public final class ParleyProcess {
    /** How long any wait on a process may take before the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The server's one line when it listens: groups host, port, plugins. */
    public static final Pattern LISTENING =
            Pattern.compile("Parley \\S+ listening on ([^ ]+):(\\d+) with plugins (\\[.*])");

    /** The distribution under test: {@code -Dparley.dist}, else the one this module's build packaged. */
    public static final Path DIST = Path.of(System.getProperty("parley.dist", "target/parley")).toAbsolutePath();

    /** The process itself, for stdin, signals and its handle. */
    public final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    public ParleyProcess(Process process) {
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

    /**
     * Runs {@code bin/parley <args>} of {@link #DIST} in {@code workDir}, stderr with stdout, without the
     * caller's JAVA_OPTS; the store is a SQLite file under {@code workDir} unless {@code args} give a
     * {@code --config}.
     */
    public static ParleyProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, java.util.Map.of(), args);
    }

    /** As {@link #start(Path, String...)}, with more environment variables (e.g. PARLEY_PASSWORD). */
    public static ParleyProcess start(Path workDir, java.util.Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/parley").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        // Servers of one test must not share port 7879, nor the distribution's data/parley.db with other tests;
        // a --config file names its own store (a system property would override it).
        boolean ownConfig = List.of(args).contains("--config");
        builder.environment().put("JAVA_OPTS", "-Dparley.http.port=0" + (ownConfig ? "" : " " + privateStore(workDir)));
        builder.environment().putAll(environment);
        return new ParleyProcess(builder.start());
    }

    /** A {@code -Dparley.store.url} that keeps the process's messages under {@code workDir}, not in the distribution. */
    public static String privateStore(Path workDir) {
        return "-Dparley.store.url=jdbc:sqlite:" + workDir.toAbsolutePath().resolve("data/parley.db");
    }

    /** Waits for the server's listening line; fails with the output so far if it exits or times out first. */
    public Matcher awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    return matcher;
                }
            } else if (!process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("no listening line; output:\n" + output);
    }

    /** The port from the listening line. */
    public int awaitPort() throws InterruptedException {
        return Integer.parseInt(awaitListening().group(2));
    }

    /** The next output line (after those already consumed) that matches. */
    public String awaitLine(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no such line; output:\n" + output);
    }

    /** Waits for the process to exit and its output to be read; its exit code. */
    public int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exited; output:\n" + output).isTrue();
        reader.join(TIMEOUT.toMillis());
        return process.exitValue();
    }

    /** The output so far. */
    public String output() {
        return output.toString();
    }

    /** The whole output, once the process exited (or the timeout passed). */
    public String finalOutput() throws InterruptedException {
        process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        reader.join(TIMEOUT.toMillis());
        return output.toString();
    }
}
