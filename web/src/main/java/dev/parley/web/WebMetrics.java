package dev.parley.web;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.server.CommandObserver;
import dev.parley.core.server.FlowStatistics;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.Reply;
import dev.parley.web.ws.TransportMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's metrics in a Prometheus registry: what /metrics shows and /api/v1/stats summarises. Core does
 * not know Micrometer: it reports commands through its {@link CommandObserver}, and everything else is read
 * from suppliers at scrape time, so nothing here sits on the TCP path.
 *
 * <p>{@link #counter} and {@link #gauge} are the adapter points for counters that live elsewhere (the TCP
 * transport's bytes, flow control's stalls and cut-offs): a part the launcher runs registers a supplier.
 */
public final class WebMetrics implements CommandObserver {
    /** The label value of verbs the server does not know, and of malformed lines, so labels stay bounded. */
    static final String OTHER_VERB = "other";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();
    private final LongAdder commandCount = new LongAdder();
    private final LongAdder wsIn = new LongAdder();
    private final LongAdder wsOut = new LongAdder();
    private final LongAdder wsSlow = new LongAdder();
    private final Timer storeProbe;
    private final Counter fileBytesIn;
    private final Counter fileBytesOut;
    /** Micrometer holds the objects behind function counters and gauges weakly: these keep them alive. */
    private final java.util.List<Object> sources = new java.util.concurrent.CopyOnWriteArrayList<>();

    public WebMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        counter("parley.bytes.received", "websocket", "Bytes received from clients", wsIn::sum);
        counter("parley.bytes.sent", "websocket", "Bytes handed to clients' sockets", wsOut::sum);
        counter("parley.slow.consumer.disconnects", "websocket",
                "Connections closed with BYE SLOW_CONSUMER", wsSlow::sum);
        fileBytesIn = Counter.builder("parley.file.transfer.bytes").tag("direction", "in")
                .description("File bytes uploaded (CHUNK payloads) and downloaded (FETCH chunks)").register(registry);
        fileBytesOut = Counter.builder("parley.file.transfer.bytes").tag("direction", "out")
                .description("File bytes uploaded (CHUNK payloads) and downloaded (FETCH chunks)").register(registry);
        storeProbe = Timer.builder("parley.store.probe").description("Time the message store took to answer"
                + " its availability check (readiness and scrapes)").register(registry);
    }

    /** The registry, for binders of other parts. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adapter point: a monotonic count kept elsewhere, shown as {@code <name>_total{transport=...}}. */
    public void counter(String name, String transport, String description, LongSupplier count) {
        sources.add(count);
        FunctionCounter.builder(name, count, c -> (double) c.getAsLong()).tag("transport", transport)
                .description(description).register(registry);
    }

    /**
     * Flow control's counters (see docs/protocol.md, "Flow control"), read from core's totals at scrape time:
     * core counts each event once, for ended sessions too, so nothing here counts again. Cut-offs are those
     * transports report to core (the TCP transport's); the WebSocket transport's own are
     * {@code parley_slow_consumer_disconnects_total{transport="websocket"}}.
     */
    public void flow(FlowStatistics flow) {
        sources.add(flow);
        FunctionCounter.builder("parley.producer.stalls", flow, f -> f.totals().stalls())
                .description("Commands that waited because a recipient was above flow-high-water").register(registry);
        FunctionCounter.builder("parley.producer.stall", flow, f -> f.totals().stalledNanos() / 1e9)
                .baseUnit("seconds").description("Time commands waited for recipients above flow-high-water")
                .register(registry);
        FunctionCounter.builder("parley.session.pauses", flow, f -> f.totals().pauses())
                .description("Times a session stopped running its commands because its client did not read")
                .register(registry);
        FunctionCounter.builder("parley.slow.consumer.cutoffs", flow, f -> f.totals().slowConsumerCutOffs())
                .tag("cause", "unread_output")
                .description("Connections cut off with BYE SLOW_CONSUMER: their own unread output"
                        + " (max-pending-bytes or slow-consumer-timeout), or the server's pending budget")
                .register(registry);
        FunctionCounter.builder("parley.slow.consumer.cutoffs", flow, f -> f.totals().budgetCutOffs())
                .tag("cause", "memory_budget")
                .description("Connections cut off with BYE SLOW_CONSUMER: their own unread output"
                        + " (max-pending-bytes or slow-consumer-timeout), or the server's pending budget")
                .register(registry);
    }

    /**
     * Chat messages out: {@code MSG} and {@code WHISPER} events core handed to its sessions, one per recipient,
     * read from core's counts at scrape time.
     */
    public void messages(ServerCore core) {
        sources.add(core);
        for (String verb : new String[] {"MSG", "WHISPER"}) {
            FunctionCounter.builder("parley.messages.sent", core, c -> c.messagesSent(verb)).tag("verb", verb)
                    .description("Chat messages (MSG, WHISPER events) handed to sessions for delivery, one per"
                            + " recipient").register(registry);
        }
    }

    /**
     * The store, timed into {@code parley_store_operation_seconds{operation=...}}: what the launcher offers
     * core and plugins instead of the store it opened (see {@link TimedMessageStore}).
     */
    public MessageStore timed(MessageStore store) {
        return new TimedMessageStore(store, registry);
    }

    /** Adapter point: a value kept elsewhere, read at scrape time. */
    public void gauge(String name, String transport, String description, LongSupplier value) {
        sources.add(value);
        Gauge.builder(name, value, v -> (double) v.getAsLong()).tag("transport", transport)
                .description(description).register(registry);
    }

    /** Adapter point without a transport label. */
    public void gauge(String name, String description, LongSupplier value) {
        sources.add(value);
        Gauge.builder(name, value, v -> (double) v.getAsLong()).description(description).register(registry);
    }

    @Override
    public void replied(String verb, Reply reply) {
        commandCount.increment();
        String label = "*".equals(verb) || ErrorCode.UNKNOWN_COMMAND.equals(reply.error()) ? OTHER_VERB : verb;
        String result = reply.isOk() ? "ok" : reply.error().name();
        String key = label + ' ' + result;
        Counter counter = commands.get(key);
        if (counter == null) {
            counter = commands.computeIfAbsent(key, k -> Counter.builder("parley.commands")
                    .description("Commands answered, by verb and result (OK or the error code)")
                    .tag("verb", label).tag("result", result).register(registry));
        }
        counter.increment();
    }

    @Override
    public void dispatched(Frame command) {
        if (command.payload() != null && "CHUNK".equals(command.verb())) {
            fileBytesIn.increment(command.payload().length);
        }
    }

    @Override
    public void dataLine(Frame line) {
        if (line.payload() != null && "CHUNK".equals(line.verb())) {
            fileBytesOut.increment(line.payload().length);
        }
    }

    /** Commands answered since start. */
    public long commandCount() {
        return commandCount.sum();
    }

    /** Times a store check. */
    public boolean timeStoreProbe(java.util.function.BooleanSupplier probe) {
        long start = System.nanoTime();
        try {
            return probe.getAsBoolean();
        } finally {
            storeProbe.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** What the WebSocket transport counts. */
    public TransportMetrics webSocket() {
        return new TransportMetrics() {
            @Override
            public void received(long bytes) {
                wsIn.add(bytes);
            }

            @Override
            public void sent(long bytes) {
                wsOut.add(bytes);
            }

            @Override
            public void slowConsumer() {
                wsSlow.increment();
            }
        };
    }

    /** The Prometheus text format of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** One meter's current value (summed over its tags), or 0; for /api/v1/stats. */
    public double value(String name, String... tags) {
        double sum = 0;
        for (var meter : registry.find(name).tags(tags).meters()) {
            for (var measurement : meter.measure()) {
                sum += measurement.getValue();
                break;
            }
        }
        return sum;
    }
}
