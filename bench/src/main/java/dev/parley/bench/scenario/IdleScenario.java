package dev.parley.bench.scenario;

import dev.parley.bench.report.Result;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * Many registered connections that say nothing: what each costs the server. With a server pid, its resident
 * memory (VmRSS of /proc/PID/status) is read before connecting and after everyone registered and the
 * connections sat for the hold time.
 */
public final class IdleScenario {
    private final Endpoint endpoint;
    private final int connections;
    private final long pid;
    private final Duration hold;
    private final Duration setupTimeout;
    private final int ioThreads;
    private final PrintStream out;

    public IdleScenario(Endpoint endpoint, int connections, long pid, Duration hold, Duration setupTimeout,
                        int ioThreads, PrintStream out) {
        if (connections < 1 || connections > 60_000) {
            throw new IllegalArgumentException("connections must be 1-60000: " + connections);
        }
        if (pid < 0) {
            throw new IllegalArgumentException("pid must be a process id (or 0 for none): " + pid);
        }
        if (pid > 0 && !Files.isReadable(statusOf(pid))) {
            throw new IllegalArgumentException("no readable /proc/" + pid + "/status: is the server running here?");
        }
        new Timing(Duration.ZERO, hold, setupTimeout);
        this.endpoint = endpoint;
        this.connections = connections;
        this.pid = pid;
        this.hold = hold;
        this.setupTimeout = setupTimeout;
        this.ioThreads = ioThreads;
        this.out = out;
    }

    public Result run() throws IOException, InterruptedException {
        long before = pid > 0 ? rssKib(pid) : -1;
        try (Crowd crowd = new Crowd(endpoint, ioThreads, out)) {
            long start = System.nanoTime();
            out.printf("bench: idle against %s at %s: %d connections...%n",
                    endpoint.target().name().toLowerCase(), endpoint.address(), connections);
            crowd.connectAll(Collections.nCopies(connections, null), Collections.nCopies(connections, false),
                    Crowd.deadline(setupTimeout));
            double setupSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(hold.toMillis());
            long after = pid > 0 ? rssKib(pid) : -1;
            Result result = new Result()
                    .put("scenario", "idle")
                    .put("target", endpoint.target().name().toLowerCase())
                    .put("connections", connections)
                    .put("setup_s", setupSeconds)
                    .put("rss_before_kib", before)
                    .put("rss_after_kib", after)
                    .put("rss_per_connection_bytes", pid > 0 ? (after - before) * 1024.0 / connections : -1.0)
                    .put("errors", crowd.errors())
                    .put("closed", (long) crowd.closedCount());
            return result;
        }
    }

    static Path statusOf(long pid) {
        return Path.of("/proc", Long.toString(pid), "status");
    }

    /** VmRSS of a process, in KiB. */
    static long rssKib(long pid) throws IOException {
        return parseRssKib(Files.readAllLines(statusOf(pid)));
    }

    static long parseRssKib(List<String> status) {
        for (String line : status) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        throw new IllegalArgumentException("no VmRSS line in the process status");
    }
}
