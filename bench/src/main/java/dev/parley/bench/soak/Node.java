package dev.parley.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One clustered {@code parley server} of the distribution, on a fixed client port and member port so that it
 * comes back where its clients and the other members look for it. Its output (all incarnations) is appended to
 * {@code node-<n>.log}.
 */
final class Node {
    private static final String LISTENING = " listening on ";

    final int index;
    final int clientPort;
    final int memberPort;
    private final Path config;
    private final Path log;
    private final SoakSettings settings;
    private volatile Process process;
    /** Set by the first restart: from then on the node runs the distribution under test (see upgradeFrom). */
    private volatile boolean restarted;
    /** The thread that copies the current incarnation's output to the log. */
    private volatile Thread pump;
    private volatile CompletableFuture<Void> listening = new CompletableFuture<>();

    Node(int index, int clientPort, int memberPort, Path config, SoakSettings settings) {
        this.index = index;
        this.clientPort = clientPort;
        this.memberPort = memberPort;
        this.config = config;
        this.settings = settings;
        this.log = settings.out().resolve("node-" + (index + 1) + ".log");
    }

    /** Writes the node's configuration: every member's address, quick failure detection, the store. */
    static String config(int memberPort, int[] memberPorts, String clusterName, String storeUrl, Path spool) {
        StringBuilder members = new StringBuilder();
        for (int port : memberPorts) {
            members.append(members.length() == 0 ? "" : ", ").append("\"127.0.0.1:").append(port).append('"');
        }
        return """
                parley.server.host = 127.0.0.1
                parley.http.port = 0
                parley.cluster {
                  enabled = true
                  name = "%s"
                  host = 127.0.0.1
                  port = %d
                  members = [%s]
                  hazelcast {
                    "hazelcast.heartbeat.interval.seconds" = 1
                    "hazelcast.max.no.heartbeat.seconds" = 5
                  }
                }
                parley.filetransfer.spool-dir = "%s"
                parley.store.url = "%s"
                """.formatted(clusterName, memberPort, members, spool, storeUrl);
    }

    /** Starts the process (again); {@link #awaitListening} waits for it. */
    void start() throws IOException {
        Path home = restarted || settings.upgradeFrom() == null ? settings.parleyHome() : settings.upgradeFrom();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/parley").toString(), "server",
                "--port", Integer.toString(clientPort), "--config", config.toString())
                .directory(settings.out().toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "-Xmx" + settings.nodeHeap() + " -XX:+UseSerialGC");
        CompletableFuture<Void> up = new CompletableFuture<>();
        listening = up;
        Process started = builder.start();
        process = started;
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        out.write("==== " + Soak.now() + " start (pid " + started.pid() + ", " + home + ")\n");
        out.flush();
        Thread pump = new Thread(() -> {
            try (out; BufferedReader in = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    if (line.contains(LISTENING)) {
                        up.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            up.completeExceptionally(new IOException("node " + (index + 1) + " exited before listening; see " + log));
        }, "soak-node-" + (index + 1));
        pump.setDaemon(true);
        this.pump = pump;
        pump.start();
    }

    void awaitListening(Duration timeout) throws IOException, InterruptedException {
        try {
            listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("node " + (index + 1) + " did not listen within " + timeout + "; see " + log);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Starts the node, retrying a few times when it exits at once (a port still held by the old one). */
    void startListening(Duration timeout) throws IOException, InterruptedException {
        restarted = true;
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            start();
            try {
                awaitListening(timeout);
                return;
            } catch (IOException e) {
                last = e;
                kill9();
                Thread.sleep(2000);
            }
        }
        throw last;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGKILL without waiting (SIGKILL ends a stopped process too): for a run cut short. */
    void destroy() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** SIGKILL; returns once the process is gone. */
    void kill9() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** SIGTERM (a graceful stop); SIGKILL if it has not ended within {@code timeout}. True when it ended by itself. */
    boolean term(Duration timeout) throws InterruptedException {
        Process p = process;
        if (p == null) {
            return true;
        }
        p.destroy();
        if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        dumpStall(p);
        kill9();
        return false;
    }

    /**
     * Before a node that ignored SIGTERM is killed: its threads (jstack) and the state of the thread that copies
     * its output here, to {@code node-<n>-stalled-<time>.txt}. Some SIGTERMs right after a restart were not even
     * logged by the node, which went on answering heartbeats (docs/cluster.md, *Kill-loop soak*); a node blocked
     * writing its log would show it in both.
     */
    private void dumpStall(Process p) throws InterruptedException {
        Path file = settings.out().resolve("node-" + (index + 1) + "-stalled-" + Soak.now().replace(':', '-') + ".txt");
        try {
            Process jstack = new ProcessBuilder("jstack", "-l", Long.toString(p.pid())).redirectErrorStream(true)
                    .redirectOutput(file.toFile()).start();
            if (!jstack.waitFor(20, TimeUnit.SECONDS)) {
                jstack.destroyForcibly();
            }
        } catch (IOException e) {
            // No jstack here: the copier's stack below still tells half of it.
        }
        try {
            StringBuilder copier = new StringBuilder("\n==== the soak's copier of this node's output\n");
            Thread t = pump;
            if (t != null) {
                copier.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (StackTraceElement frame : t.getStackTrace()) {
                    copier.append("\tat ").append(frame).append('\n');
                }
            }
            Files.writeString(file, copier, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The output directory is gone: the kill that follows is what matters.
        }
    }

    /** The exit status, if the process ends within {@code timeout} (or had ended). */
    OptionalInt exitWithin(Duration timeout) throws InterruptedException {
        Process p = process;
        if (p != null && p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.of(p.exitValue());
        }
        return OptionalInt.empty();
    }

    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + pid() + " failed");
        }
    }

    Path logFile() {
        return log;
    }

    @Override
    public String toString() {
        return "node " + (index + 1) + " (127.0.0.1:" + clientPort + ")";
    }

    static List<Integer> ports(Node... nodes) {
        return java.util.Arrays.stream(nodes).map(n -> n.clientPort).toList();
    }
}
