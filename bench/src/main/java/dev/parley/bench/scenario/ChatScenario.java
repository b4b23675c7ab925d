package dev.parley.bench.scenario;

import com.sun.management.OperatingSystemMXBean;
import dev.parley.bench.report.Latency;
import dev.parley.bench.report.Result;
import dev.parley.bench.report.Stamp;
import dev.parley.bench.wire.Dialect;
import dev.parley.bench.wire.Inbound;
import dev.parley.bench.wire.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Rooms full of members, some of them publishing: {@code fanout} is one room, {@code rooms} many. Publishers
 * keep at most {@code window} messages unacknowledged; every message carries its send time, and a delivery
 * counts (and its latency is recorded) when that time lies in the measured window, which begins after the
 * warm-up. After the window, publishing stops and the tool waits for the last deliveries (at most 5 s).
 */
public final class ChatScenario {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final String name;
    private final Endpoint endpoint;
    private final ChatPlan plan;
    private final Timing timing;
    private final int ioThreads;
    /** The server's process id for its CPU time, or 0. */
    private final long serverPid;
    private final PrintStream out;
    private final Dialect dialect;
    /** Source addresses to spread the connections over (127.0.0.1 ..), 0 or 1 for the system's choice. */
    private int sources;
    private Placement placement;
    /** Members per room that stop reading once they have joined (the last ones of each room, never publishers). */
    private int stalled;
    /** Parley's metrics URL, to see when it cut connections off; null for none. */
    private String metricsUrl;
    /** Paced publishers all send at the same instant of each interval instead of at evenly spread ones. */
    private boolean inStep;

    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private long intervalNanos;

    /** @param serverPid the server's process id on this machine, to report its CPU time; 0 for none */
    public ChatScenario(String name, Endpoint endpoint, ChatPlan plan, Timing timing, int ioThreads, long serverPid,
                        PrintStream out) {
        if (ioThreads < 1 || ioThreads > 16) {
            throw new IllegalArgumentException("io threads must be 1-16: " + ioThreads);
        }
        this.name = name;
        this.endpoint = endpoint;
        this.plan = plan;
        this.timing = timing;
        this.ioThreads = ioThreads;
        this.serverPid = serverPid;
        this.out = out;
        this.dialect = endpoint.target().dialect();
        this.placement = Placement.single(endpoint);
    }

    /** Connects the members to several servers of one cluster (see {@link Placement}). */
    public ChatScenario placed(Placement placement) {
        this.placement = placement;
        return this;
    }

    /** Connects from 127.0.0.1 .. 127.0.0.{count} in turn, and reports the server's memory per connection. */
    public ChatScenario spreadOver(int count) {
        if (count < 0 || count > 254) {
            throw new IllegalArgumentException("source addresses must be 0-254: " + count);
        }
        this.sources = count;
        return this;
    }

    /**
     * The last {@code count} members of each room register, join and then never read their socket. They are
     * reported apart: whether and when the server cut them off (seen from the server's end of the connection,
     * see {@link ServerEnds}), and what they find when they read at the end. The other figures are the
     * readers'.
     */
    public ChatScenario stalled(int count) {
        if (count < 0 || count > plan.members() - plan.publishers()) {
            throw new IllegalArgumentException("stalled members must be 0 to the members who do not publish ("
                    + (plan.members() - plan.publishers()) + "): " + count);
        }
        this.stalled = count;
        return this;
    }

    /**
     * Paced publishers ({@code --rate}) send at the same instant of every interval, so each interval begins with
     * a burst of every publisher's message. Without it their first sends are spread evenly over one interval,
     * as people chatting independently would be; the burst measures how long the server and this tool take to
     * work through it, not how long one message takes.
     */
    public ChatScenario inStep(boolean inStep) {
        this.inStep = inStep;
        return this;
    }

    /** Polls Parley's {@code /metrics} at this URL for its slow-consumer cut-offs (when it decided them). */
    public ChatScenario metrics(String url) {
        this.metricsUrl = url;
        return this;
    }

    public Result run() throws IOException, InterruptedException {
        if (serverPid > 0) {
            ServerCpu.nanos(serverPid); // fails now, before connecting, when there is no such process
        }
        boolean measureMemory = serverPid > 0 && sources > 0;
        // jcmd attaches by sending SIGQUIT, which ends a server that is not a JVM (nats-server, ngircd).
        boolean jvm = endpoint.target() == Target.PARLEY;
        // The live heap first: its collection may shrink the heap, and the RSS baseline is then read after it,
        // as the readings with connections are after the collections the server ran by itself.
        long heapBefore = measureMemory && jvm ? ServerHeap.usedBytes(serverPid) : -1;
        long rssBefore = measureMemory ? IdleScenario.rssKib(serverPid) : -1;
        intervalNanos = plan.ratePerPublisher() > 0 ? (long) (1e9 / plan.ratePerPublisher()) : 0;
        try (Crowd crowd = new Crowd(endpoint, ioThreads, out)) {
            crowd.spreadOver(sources);
            crowd.placement(placement);
            long setupStart = System.nanoTime();
            long deadline = Crowd.deadline(timing.setupTimeout());
            List<String> rooms = new ArrayList<>();
            List<Boolean> publishers = new ArrayList<>();
            for (int r = 0; r < plan.rooms(); r++) {
                for (int m = 0; m < plan.members(); m++) {
                    rooms.add(crowd.room(r));
                    publishers.add(m < plan.publishers());
                }
            }
            out.printf("bench: %s against %s at %s: %d connections...%n", name, endpoint.target().name().toLowerCase(),
                    placement.spread() ? endpoint.host() + " ports " + placement : endpoint.address(), rooms.size());
            crowd.connectAll(rooms, publishers, deadline);
            List<Member> stalledMembers = new ArrayList<>();
            for (int i = 0; i < crowd.members.size(); i++) {
                if (i % plan.members() >= plan.members() - stalled) {
                    Member member = crowd.members.get(i);
                    member.stalled = true; // read by its reactor when OK JOIN arrives, which it sends after this
                    stalledMembers.add(member);
                }
            }
            crowd.joinAll(deadline);
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            long rssAfter = measureMemory ? IdleScenario.rssKib(serverPid) : -1;
            crowd.traffic(this::inbound);

            long now = System.nanoTime();
            StallWatch watch = stalledMembers.isEmpty() ? null : new StallWatch(stalledMembers, endpoint, now);
            ServerMetrics metrics = metricsUrl == null ? null : new ServerMetrics(metricsUrl, now);
            windowStart = now + timing.warmup().toNanos();
            windowEnd = windowStart + timing.duration().toNanos();
            long publisherCount = crowd.members.stream().filter(m -> m.publisher).count();
            long publisherIndex = 0;
            for (Member member : crowd.members) {
                if (member.publisher) {
                    member.nextDue = firstDue(now, intervalNanos, publisherIndex, publisherCount, inStep);
                    publisherIndex++;
                    member.link.reactor().execute(() -> publish(member));
                }
            }
            if (intervalNanos > 0) {
                long tickMillis = Math.max(1, Math.min(10, intervalNanos / 2_000_000));
                crowd.onEveryReactor(i -> {
                    List<Member> mine = crowd.members.stream()
                            .filter(m -> m.publisher && m.tally == crowd.tallies[i]).toList();
                    crowd.reactors[i].onTick(() -> mine.forEach(this::publish), tickMillis);
                });
            }
            out.printf("bench: set up in %.1f s; warm-up %s, measuring %s%n", setupSeconds, timing.warmup(), timing.duration());

            Thread.sleep(Math.max(0, (windowStart - System.nanoTime()) / 1_000_000));
            long cpuStart = OS.getProcessCpuTime();
            long serverCpuStart = serverPid > 0 ? ServerCpu.nanos(serverPid) : 0;
            long[] reactorCpuStart = crowd.cpuByReactor();
            Thread.sleep(Math.max(0, (windowEnd - System.nanoTime()) / 1_000_000));
            long cpuEnd = OS.getProcessCpuTime();
            long serverCpuEnd = serverPid > 0 ? ServerCpu.nanos(serverPid) : 0;
            long busiest = crowd.busiestCpuNanos(reactorCpuStart);
            // Held: every connection still open and chatting, after the warm-up and the measured window, with
            // only the collections the server chose to run (the live heap's forced one comes after).
            long rssHeld = measureMemory ? IdleScenario.rssKib(serverPid) : -1;
            long heapAfter = measureMemory && jvm ? ServerHeap.usedBytes(serverPid) : -1;
            drain(crowd);
            int readersCutOff = crowd.closedCount();
            if (watch != null) {
                watch.finish(crowd);
            }
            if (metrics != null) {
                metrics.refresh();
                metrics.close();
            }

            long[] totals = new long[3];
            Latency latency = new Latency();
            crowd.onEveryReactor(i -> { });
            for (Tally t : crowd.tallies) {
                totals[0] += t.sent.get();
                totals[1] += t.delivered.get();
                totals[2] += t.acknowledged.get();
                t.latency.addTo(latency);
            }
            double seconds = timing.duration().toNanos() / 1e9;
            int recipients = plan.members() - 1 - stalled;
            long expected = totals[0] * recipients;
            Result result = new Result()
                    .put("scenario", name)
                    .put("target", endpoint.target().name().toLowerCase())
                    .put("servers", placement.servers())
                    .put("rooms", plan.rooms())
                    .put("members", plan.members())
                    .put("publishers", plan.publishers())
                    .put("message_bytes", plan.messageBytes())
                    .put("window", plan.window())
                    .put("rate_per_publisher", plan.ratePerPublisher())
                    .put("duration_s", seconds)
                    .put("setup_s", setupSeconds)
                    .put("sent", totals[0])
                    .put("delivered", totals[1])
                    .put("lost", Math.max(0, expected - totals[1]))
                    .put("acknowledged", totals[2])
                    .put("delivered_per_acknowledged", totals[2] == 0 ? 0.0
                            : totals[1] / ((double) totals[2] * recipients))
                    .put("cut_off", (long) readersCutOff)
                    .put("msgs_per_s", totals[0] / seconds)
                    .put("deliveries_per_s", totals[1] / seconds)
                    .put("p50_us", latency.micros(50))
                    .put("p99_us", latency.micros(99))
                    .put("p999_us", latency.micros(99.9))
                    .put("max_us", latency.maxMicros())
                    .put("client_cpu_cores", (cpuEnd - cpuStart) / (seconds * 1e9))
                    .put("client_busiest_thread", busiest / (seconds * 1e9))
                    .put("errors", crowd.errors())
                    .put("closed", (long) readersCutOff);
            if (watch != null) {
                watch.report(result);
            }
            if (metrics != null) {
                result.put("server_cut_off_unread", metrics.unreadOutputCutOffs())
                        .put("server_cut_off_budget", metrics.memoryBudgetCutOffs())
                        .put("server_cut_off_s", times(metrics.cutOffTimes()));
            }
            if (measureMemory) {
                int connections = plan.connections();
                result.put("rss_per_connection_bytes", (rssAfter - rssBefore) * 1024.0 / connections)
                        .put("rss_after_kib", rssAfter)
                        .put("rss_held_per_connection_bytes", (rssHeld - rssBefore) * 1024.0 / connections)
                        .put("rss_held_kib", rssHeld);
                if (heapBefore >= 0 && heapAfter >= 0) {
                    result.put("heap_per_connection_bytes", (heapAfter - heapBefore) / (double) connections);
                }
            }
            if (serverPid > 0) {
                long serverNanos = serverCpuEnd - serverCpuStart;
                result.put("server_cores", serverNanos / (seconds * 1e9));
                if (totals[1] > 0) {
                    result.put("server_ns_per_delivery", serverNanos / (double) totals[1]);
                }
            }
            return result;
        } finally {
            windowEnd = 0;
        }
    }

    /** Seconds as a comma-separated list with one decimal, for a flat RESULT line. */
    static String times(List<Double> seconds) {
        return seconds.stream().map(t -> String.format(java.util.Locale.ROOT, "%.1f", t))
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** Waits until deliveries stop arriving (no progress for 300 ms), at most 5 s. */
    private static void drain(Crowd crowd) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        long last = -1;
        while (System.nanoTime() < until) {
            long now = 0;
            for (Tally t : crowd.tallies) {
                now += t.deliveredAll.get();
            }
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(300);
        }
    }

    /**
     * When the {@code index}-th of {@code count} paced publishers first sends: spread evenly over one interval
     * from {@code start}, or at {@code start} for all of them in step (and for unpaced ones, interval 0).
     */
    static long firstDue(long start, long intervalNanos, long index, long count, boolean inStep) {
        return inStep || intervalNanos == 0 || count == 0 ? start : start + intervalNanos * index / count;
    }

    /** On the member's reactor thread: sends while the window, the pace and the clock allow. */
    private void publish(Member member) {
        while (member.outstanding < plan.window()) {
            long now = System.nanoTime();
            if (now >= windowEnd || (intervalNanos > 0 && now < member.nextDue)) {
                return;
            }
            member.link.send(dialect.publish(member.room, Stamp.text(now, plan.messageBytes())));
            member.outstanding++;
            member.sentTimes.add(now);
            if (now >= windowStart) {
                member.tally.sent.incrementAndGet();
            }
            if (intervalNanos > 0) {
                // Catch up at most one interval: a stalled publisher does not burst afterwards.
                member.nextDue = Math.max(member.nextDue + intervalNanos, now);
            }
        }
    }

    private void inbound(Member member, Inbound inbound, long receivedNanos) {
        switch (inbound.kind()) {
            case ACK -> {
                member.outstanding--;
                Long sent = member.sentTimes.poll();
                if (sent != null && sent >= windowStart && sent < windowEnd) {
                    Tally.increment(member.tally.acknowledged);
                }
                publish(member);
            }
            case DELIVERY -> {
                // Received when the read returned: lines later in the same read do not wait for the tool's
                // handling of the earlier ones (and a clock read per line is a visible share of the tool's CPU).
                Tally.increment(member.tally.deliveredAll);
                long sent = inbound.sentNanos();
                if (sent >= windowStart && sent < windowEnd) {
                    Tally.increment(member.tally.delivered);
                    member.tally.latency.record(receivedNanos - sent);
                }
            }
            default -> { }
        }
    }
}
