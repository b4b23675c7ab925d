package dev.parley.transport.mina;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One recipient's side of a fan-out: {@link MinaConnection} takes {@value #FRAMES} MSG events while its
 * previous write is in flight, then that write completes and the queued events go to MINA as one batch,
 * which completes in turn. The figure is per event. MINA's socket is replaced by a filter that holds each
 * write request until the benchmark completes it, so what is measured is the batching path and MINA's
 * per-write objects, not a system call.
 *
 * <p>{@code numbered = true} writes each event behind its resumption prefix ({@code @seq=<n>;}) through
 * {@code writeNumbered}, as core does; {@code false} writes the shared bytes alone.
 *
 * <p>In package {@code dev.parley.transport.mina} (a split package, fine on the class path) to reach the
 * package-private connection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FanoutWriteBenchmark {
    static final int FRAMES = 16;

    @Param({"false", "true"})
    public boolean numbered;

    private final ArrayDeque<WriteRequest> held = new ArrayDeque<>();
    private MinaConnection connection;
    private byte[] event;
    private long seq;

    @Setup
    public void setUp() {
        DummySession session = new DummySession();
        session.getFilterChain().addLast("hold", new IoFilterAdapter() {
            @Override
            public void filterWrite(NextFilter next, IoSession s, WriteRequest request) {
                held.add(request);
            }
        });
        connection = new MinaConnection(session, Long.MAX_VALUE);
        event = FrameWriter.encode(Frame.of("MSG").tag("msgid", "01JD7ZK3V2Q8M4N6P0R2S4T6V8")
                .tag("time", "2026-11-25T01:02:03.456Z").param("#lobby").param("alice")
                .trailing("t=123456789012345;" + "x".repeat(82)).build());
        // The first write goes out at once and stays in flight: every event after it queues.
        connection.write(event);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void writeBatch() {
        for (int i = 0; i < FRAMES; i++) {
            if (numbered) {
                connection.writeNumbered(++seq, event);
            } else {
                connection.write(event);
            }
        }
        // The write in flight completes; the batch gathered from the queue goes out and stays in flight.
        held.poll().getFuture().setWritten();
    }
}
