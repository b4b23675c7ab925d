package dev.parley.bench.scenario;

import dev.parley.bench.report.Latency;
import dev.parley.bench.report.Result;
import dev.parley.bench.wire.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The memory-bound flood (Parley only): {@code connections} clients each pipeline {@code bytesPerConnection}
 * of {@code PING <text>} lines of about {@code pingBytes} and never read the answers (their receive buffers
 * set small, so the answers pile up in the server, not in the kernel), while a probe connection sends
 * {@code PING <n>} every 100 ms and times each {@code OK PING <n>}. Reports the probe's latencies and the
 * probes not answered within a second, the flood connections the server cut off, and with the server's pid
 * whether it is still alive, its largest RSS, and after {@code --term-after} how long SIGTERM took to end it.
 */
public final class FloodScenario {
    private static final long PROBE_INTERVAL_MILLIS = 100;
    private static final long PROBE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long the tool waits for the server to exit after SIGTERM before it says it did not. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(60);

    /** What the flood sends and for how long. */
    public record Plan(int connections, long bytesPerConnection, int pingBytes, int receiveBuffer, int sources,
                       Duration duration, Duration termAfter) {
        public Plan {
            if (connections < 1 || connections > 10_000) {
                throw new IllegalArgumentException("flood connections must be 1-10000: " + connections);
            }
            if (bytesPerConnection < 1 || bytesPerConnection > (1L << 34)) {
                throw new IllegalArgumentException("bytes per connection must be 1 to 16 GiB: " + bytesPerConnection);
            }
            if (pingBytes < 8 || pingBytes > 4096) {
                throw new IllegalArgumentException("PING line size must be 8-4096 bytes (Parley's longest line is 4096): " + pingBytes);
            }
            if (receiveBuffer < 0) {
                throw new IllegalArgumentException("receive buffer must be 0 (the system's) or positive: " + receiveBuffer);
            }
            if (sources < 0 || sources > 254) {
                throw new IllegalArgumentException("source addresses must be 0-254: " + sources);
            }
            if (duration.isZero() || duration.isNegative() || duration.compareTo(Timing.LONGEST) > 0) {
                throw new IllegalArgumentException("duration must be above 0 and at most 10 minutes: " + duration);
            }
            if (termAfter != null && (termAfter.isNegative() || termAfter.compareTo(duration) >= 0)) {
                throw new IllegalArgumentException("--term-after must be 0 or more and shorter than the duration: " + termAfter);
            }
        }
    }

    private final Endpoint endpoint;
    private final Plan plan;
    private final long serverPid;
    private final Path serverLog;
    private final String metricsUrl;
    private final PrintStream out;

    /**
     * @param serverPid the server's process id (alive, RSS, SIGTERM), or 0
     * @param serverLog the server's log, whose new lines are searched for OutOfMemoryError and ERROR; or null
     * @param metricsUrl Parley's metrics URL for its cut-offs by cause; or null
     */
    public FloodScenario(Endpoint endpoint, Plan plan, long serverPid, Path serverLog, String metricsUrl, PrintStream out) {
        if (endpoint.target() != Target.PARLEY) {
            throw new IllegalArgumentException("the flood is a Parley scenario (PING answered by OK PING): --target parley");
        }
        if (plan.termAfter() != null && serverPid <= 0) {
            throw new IllegalArgumentException("--term-after needs the server's --pid");
        }
        this.endpoint = endpoint;
        this.plan = plan;
        this.serverPid = serverPid;
        this.serverLog = serverLog;
        this.metricsUrl = metricsUrl;
        this.out = out;
    }

    public Result run() throws IOException, InterruptedException {
        ProcessHandle server = null;
        if (serverPid > 0) {
            server = ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive)
                    .orElseThrow(() -> new IOException("no process " + serverPid));
        }
        long logFrom = serverLog != null ? Files.size(serverLog) : 0;
        out.printf("bench: flood against parley at %s: %d connections x %d bytes of %d-byte PINGs, never read; a probe every %d ms%n",
                endpoint.address(), plan.connections(), plan.bytesPerConnection(), plan.pingBytes(), PROBE_INTERVAL_MILLIS);

        try (Probe probe = new Probe(endpoint.address()); Flood flood = new Flood()) {
            long start = System.nanoTime();
            ServerMetrics metrics = metricsUrl == null ? null : new ServerMetrics(metricsUrl, start);
            flood.open();
            out.printf("bench: %d flood connections open in %.1f s%n", plan.connections(), (System.nanoTime() - start) / 1e9);
            Thread writer = new Thread(flood::write, "bench-flood");
            writer.setDaemon(true);
            writer.start();

            long end = start + plan.duration().toNanos();
            long termAt = plan.termAfter() == null ? Long.MAX_VALUE : start + plan.termAfter().toNanos();
            long rssMaxKib = -1;
            long termSent = 0;
            long exitNanos = -1;
            long nextProbe = System.nanoTime();
            long nextLook = nextProbe;
            boolean aliveBeforeTerm = true;
            long loadEnd = end;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (termSent == 0 && now >= termAt) {
                    probe.stop(); // probes after SIGTERM would measure the shutdown, not the flood
                    probe.awaitLast();
                    flood.look(start);
                    aliveBeforeTerm = server.isAlive();
                    termSent = System.nanoTime();
                    loadEnd = termSent;
                    server.destroy(); // SIGTERM
                    out.printf("bench: SIGTERM to %d after %.1f s%n", serverPid, (termSent - start) / 1e9);
                    exitNanos = awaitExit(server, termSent);
                    break;
                }
                if (now >= nextProbe) {
                    probe.ping();
                    nextProbe += TimeUnit.MILLISECONDS.toNanos(PROBE_INTERVAL_MILLIS);
                }
                if (now >= nextLook) {
                    flood.look(start);
                    if (server != null) {
                        try {
                            rssMaxKib = Math.max(rssMaxKib, IdleScenario.rssKib(serverPid));
                        } catch (IOException gone) {
                            // the process ended: reported below
                        }
                    }
                    nextLook += TimeUnit.MILLISECONDS.toNanos(500);
                }
                Thread.sleep(Math.max(1, Math.min(nextProbe, nextLook) - System.nanoTime()) / 1_000_000 + 1);
            }
            if (termSent == 0) {
                probe.stop();
                probe.awaitLast();
                flood.look(start);
            }
            if (metrics != null) {
                metrics.refresh();
                metrics.close();
            }

            Result result = new Result()
                    .put("scenario", "flood")
                    .put("target", "parley")
                    .put("connections", plan.connections())
                    .put("bytes_per_connection", plan.bytesPerConnection())
                    .put("ping_bytes", plan.pingBytes())
                    .put("receive_buffer", plan.receiveBuffer())
                    .put("duration_s", (loadEnd - start) / 1e9)
                    .put("sent_bytes", flood.sentBytes())
                    .put("flood_done", (long) flood.done())
                    .put("flood_cut_off", (long) flood.cutOff())
                    .put("flood_cut_off_first_s", flood.firstCutOffSeconds(start))
                    .put("flood_cut_off_last_s", flood.lastCutOffSeconds(start))
                    .put("flood_seen_by", flood.seeing ? "server-socket-state" : "write-errors")
                    .put("probes", (long) probe.sent())
                    .put("probes_answered", probe.latency.count())
                    .put("probes_late", (long) probe.late())
                    .put("probe_p50_us", probe.latency.micros(50))
                    .put("probe_p99_us", probe.latency.micros(99))
                    .put("probe_max_us", probe.latency.maxMicros())
                    .put("probe_cut_off", probe.closed);
            if (metrics != null) {
                result.put("server_cut_off_unread", metrics.unreadOutputCutOffs())
                        .put("server_cut_off_budget", metrics.memoryBudgetCutOffs())
                        .put("server_cut_off_s", ChatScenario.times(metrics.cutOffTimes()));
            }
            if (server != null) {
                result.put("server_alive", termSent == 0 ? server.isAlive() : aliveBeforeTerm)
                        .put("server_rss_max_kib", rssMaxKib);
                if (termSent != 0) {
                    result.put("term_after_s", plan.termAfter().toNanos() / 1e9)
                            .put("term_exit_ms", exitNanos < 0 ? -1.0 : exitNanos / 1e6);
                }
            }
            if (serverLog != null) {
                long[] found = searchLog(serverLog, logFrom);
                result.put("server_log_oom", found[0]).put("server_log_errors", found[1]);
            }
            return result;
        }
    }

    /** Nanoseconds from SIGTERM to the process's end, or -1 when it still runs after {@link #EXIT_WAIT}. */
    private static long awaitExit(ProcessHandle server, long termSent) throws InterruptedException {
        while (System.nanoTime() - termSent < EXIT_WAIT.toNanos()) {
            if (!server.isAlive()) {
                return System.nanoTime() - termSent;
            }
            Thread.sleep(10);
        }
        return -1;
    }

    /** Lines written to the log since {@code from}: those naming OutOfMemoryError, and ERROR lines. */
    static long[] searchLog(Path log, long from) throws IOException {
        long[] found = new long[2];
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.contains("OutOfMemoryError")) {
                found[0]++;
            }
            if (line.contains(" ERROR ")) {
                found[1]++;
            }
        }
        return found;
    }

    /** The flood's connections, written by one thread through a selector; never read. */
    private final class Flood implements AutoCloseable {
        private final Selector selector = Selector.open();
        private final List<SocketChannel> channels = new ArrayList<>();
        private final ByteBuffer chunk;
        private final long[] remaining;
        private final long[] cutOffNanos;
        private final Map<ServerEnds.End, Integer> ends = new HashMap<>();
        private volatile long sent;
        private volatile boolean stopped;
        volatile boolean seeing;

        Flood() throws IOException {
            String line = "PING " + "p".repeat(plan.pingBytes() - 6) + "\n";
            int lines = Math.max(1, 64 * 1024 / line.length());
            chunk = ByteBuffer.wrap(line.repeat(lines).getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
            remaining = new long[plan.connections()];
            cutOffNanos = new long[plan.connections()];
        }

        void open() throws IOException {
            for (int i = 0; i < plan.connections(); i++) {
                SocketChannel channel = SocketChannel.open();
                if (plan.receiveBuffer() > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, plan.receiveBuffer());
                }
                if (plan.sources() > 1) {
                    channel.bind(new InetSocketAddress(InetAddress.getByAddress(
                            new byte[] {127, 0, 0, (byte) (1 + i % plan.sources())}), 0));
                }
                channel.connect(endpoint.address());
                channel.configureBlocking(false);
                channels.add(channel);
                remaining[i] = plan.bytesPerConnection();
                ends.put(ServerEnds.End.of((InetSocketAddress) channel.getLocalAddress(), endpoint.port()), i);
            }
            try {
                seeing = !ServerEnds.open(ends.keySet()).containsValue(false);
            } catch (IOException e) {
                seeing = false;
            }
        }

        /** On the flood's thread: writes every connection's bytes as fast as the server takes them. */
        void write() {
            try {
                ByteBuffer[] views = new ByteBuffer[channels.size()];
                for (int i = 0; i < channels.size(); i++) {
                    views[i] = chunk.duplicate();
                    channels.get(i).register(selector, SelectionKey.OP_WRITE, i);
                }
                while (!stopped && !selector.keys().isEmpty()) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        int i = (Integer) key.attachment();
                        ByteBuffer view = views[i];
                        try {
                            while (remaining[i] > 0) {
                                if (!view.hasRemaining()) {
                                    view.clear();
                                }
                                if (view.remaining() > remaining[i]) {
                                    view.limit(view.position() + (int) remaining[i]);
                                }
                                int n = channels.get(i).write(view);
                                if (n == 0) {
                                    break;
                                }
                                remaining[i] -= n;
                                sent += n;
                            }
                            if (remaining[i] == 0) {
                                key.cancel(); // done: the connection stays open and unread
                            }
                        } catch (IOException e) {
                            key.cancel(); // reset or broken pipe: the server closed it
                            markCutOff(i, System.nanoTime());
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                out.println("bench: flood writer failed: " + e.getMessage());
            }
        }

        private synchronized void markCutOff(int i, long now) {
            if (cutOffNanos[i] == 0) {
                cutOffNanos[i] = now;
            }
        }

        /** From the main thread: which connections' server ends have closed since the last look. */
        void look(long start) {
            if (!seeing) {
                return;
            }
            try {
                long now = System.nanoTime();
                ServerEnds.open(ends.keySet()).forEach((end, open) -> {
                    if (!open) {
                        markCutOff(ends.get(end), now);
                    }
                });
            } catch (IOException e) {
                seeing = false;
            }
        }

        long sentBytes() {
            return sent;
        }

        synchronized int done() {
            int n = 0;
            for (long r : remaining) {
                n += r == 0 ? 1 : 0;
            }
            return n;
        }

        synchronized int cutOff() {
            int n = 0;
            for (long t : cutOffNanos) {
                n += t != 0 ? 1 : 0;
            }
            return n;
        }

        synchronized double firstCutOffSeconds(long start) {
            long first = Long.MAX_VALUE;
            for (long t : cutOffNanos) {
                if (t != 0) {
                    first = Math.min(first, t);
                }
            }
            return first == Long.MAX_VALUE ? -1 : (first - start) / 1e9;
        }

        synchronized double lastCutOffSeconds(long start) {
            long last = 0;
            for (long t : cutOffNanos) {
                last = Math.max(last, t);
            }
            return last == 0 ? -1 : (last - start) / 1e9;
        }

        @Override
        public void close() throws IOException {
            stopped = true;
            selector.wakeup();
            for (SocketChannel c : channels) {
                c.close();
            }
            selector.close();
        }
    }

    /** The well-behaved client: registered, PING every 100 ms, each OK PING timed by its token. */
    private static final class Probe implements AutoCloseable {
        final Latency latency = new Latency();
        private final Socket socket = new Socket();
        private final OutputStream output;
        private final Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        private final Thread reader;
        private int sent;
        private volatile int late;
        private volatile boolean stopped;
        private long stoppedAt;
        volatile boolean closed;

        Probe(InetSocketAddress server) throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(server, 10_000);
            socket.setSoTimeout(10_000);
            output = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String nick = "probe" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            output.write(("NICK " + nick + "\n").getBytes(StandardCharsets.US_ASCII));
            output.flush();
            String line;
            while ((line = in.readLine()) != null && !withoutTags(line).startsWith("OK NICK")) {
                if (withoutTags(line).startsWith("ERR") || withoutTags(line).startsWith("BYE")) {
                    throw new IOException("the probe could not register: " + line);
                }
            }
            if (line == null) {
                throw new IOException("the server closed the probe's connection before it registered");
            }
            socket.setSoTimeout(0);
            reader = new Thread(() -> read(in), "bench-probe");
            reader.setDaemon(true);
            reader.start();
        }

        private void read(BufferedReader in) {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    long now = System.nanoTime();
                    String l = withoutTags(line);
                    if (l.startsWith("OK PING ")) {
                        Long at = sentAt.remove(Integer.parseInt(l.substring(8).trim()));
                        if (at != null) {
                            long took = now - at;
                            synchronized (latency) {
                                latency.record(took);
                            }
                            if (took > PROBE_LIMIT_NANOS) {
                                late++;
                            }
                        }
                    } else if (l.startsWith("PING ")) {
                        send("PONG " + l.substring(5) + "\n");
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the connection ended: counted below
            }
            if (!stopped) {
                closed = true;
            }
        }

        private static String withoutTags(String line) {
            return line.startsWith("@") && line.indexOf(' ') > 0 ? line.substring(line.indexOf(' ') + 1) : line;
        }

        void ping() {
            if (stopped) {
                return;
            }
            int n = ++sent;
            sentAt.put(n, System.nanoTime());
            send("PING " + n + "\n");
        }

        private synchronized void send(String text) {
            try {
                output.write(text.getBytes(StandardCharsets.US_ASCII));
                output.flush();
            } catch (IOException e) {
                closed = true;
            }
        }

        void stop() {
            stopped = true;
            stoppedAt = System.nanoTime();
        }

        /** Waits up to a second for the last answers; a probe still unanswered then was late. */
        void awaitLast() throws InterruptedException {
            long until = stoppedAt + PROBE_LIMIT_NANOS;
            while (!sentAt.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        }

        int sent() {
            return sent;
        }

        /** Probes answered after more than a second, and those not answered at all. */
        int late() {
            return late + sentAt.size();
        }

        @Override
        public void close() throws IOException {
            stopped = true;
            socket.close();
        }
    }
}
