package dev.parley.launcher.client;

import dev.parley.launcher.cli.ParleyCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * Runs a {@code parley} subcommand in-process through {@link ParleyCommand#commandLine()}, on its own
 * thread, with stdout captured line by line so a test can wait for a line instead of sleeping.
 */
public final class CommandRun {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer out = new StringBuffer();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit;

    private CommandRun(Consumer<CommandLine> setUp, String... args) {
        CommandLine commandLine = ParleyCommand.commandLine();
        commandLine.setOut(new PrintWriter(new LineSink(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true));
        setUp.accept(commandLine);
        // A thread of its own: the common pool has a single thread on a two-core machine.
        exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> exit.complete(commandLine.execute(args)), "parley-" + args[0]);
        thread.setDaemon(true);
        thread.start();
    }

    public static CommandRun start(Consumer<CommandLine> setUp, String... args) {
        return new CommandRun(setUp, args);
    }

    public static CommandRun start(String... args) {
        return new CommandRun(commandLine -> { }, args);
    }

    /** Waits for a line on stdout (already printed or to come). */
    public String awaitLine(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no such line within 20 s; stdout:\n" + out + "\nstderr:\n" + err);
    }

    /** Waits until stderr holds a line matching (the client's reconnect notices go there when piped). */
    public String awaitErr(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String found = err().lines().filter(wanted).findFirst().orElse(null);
            if (found != null) {
                return found;
            }
            TimeUnit.MILLISECONDS.sleep(20); // polls a StringWriter: nothing to block on
        }
        throw new AssertionError("no such line on stderr within 20 s; stdout:\n" + out + "\nstderr:\n" + err);
    }

    public int exitCode() throws Exception {
        try {
            return exit.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still running after 30 s; stdout:\n" + out + "\nstderr:\n" + err, e);
        }
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        synchronized (err.getBuffer()) {
            return err.toString();
        }
    }

    /** Splits what the command prints into lines as it prints them. */
    private final class LineSink extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) throws IOException {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                out.append(text).append('\n');
                lines.add(text);
            } else {
                line.write(b);
            }
        }
    }
}
