package dev.parley.bench.scenario;

import dev.parley.bench.report.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Time from starting a server process to its first line on a new connection (Parley's HELLO): the command
 * is started, the port is tried every 2 ms, and the process is stopped (SIGTERM, then killed) at the end.
 */
public final class StartupScenario {
    private final List<String> command;
    private final Endpoint endpoint;
    private final Duration timeout;

    public StartupScenario(List<String> command, Endpoint endpoint, Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("give the server's command after --");
        }
        new Timing(Duration.ZERO, timeout, timeout);
        this.command = List.copyOf(command);
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    public Result run() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            long deadline = start + timeout.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (firstByte(endpoint.address())) {
                    long nanos = System.nanoTime() - start;
                    return new Result()
                            .put("scenario", "startup")
                            .put("target", endpoint.target().name().toLowerCase())
                            .put("startup_ms", nanos / 1e6);
                }
                Thread.sleep(2);
            }
            throw new IOException(process.isAlive() ? "no answer within " + timeout
                    : "the server exited with status " + process.exitValue() + " before answering");
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static boolean firstByte(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 100);
            socket.setSoTimeout(2000);
            InputStream in = socket.getInputStream();
            return in.read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
