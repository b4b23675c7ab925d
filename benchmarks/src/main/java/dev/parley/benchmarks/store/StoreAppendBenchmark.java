package dev.parley.benchmarks.store;

import dev.parley.store.jdbc.JdbcMessageStore;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable appends per second through the group commit: each invocation appends {@value #PIPELINED} messages
 * without waiting (as many sessions' SAYs arrive) and then waits until all are committed, so the writer commits
 * them in a few large transactions. {@code pipelined = 1} is the other extreme: one append, one commit (one
 * fsync) per message. The figure is per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreAppendBenchmark {
    static final int PIPELINED = 1_000;

    @Param({"sqlite", "sqlite-normal", "postgresql"})
    String database;

    private JdbcMessageStore store;
    private long msgid;
    private final CompletableFuture<?>[] stages = new CompletableFuture<?>[PIPELINED];

    @Setup(Level.Trial)
    public void open() {
        store = BenchStores.open(database, "append");
        msgid = store.lastMsgId("#append").orElse(0);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINED)
    public void pipelined() throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < PIPELINED; i++) {
            stages[i] = store.append(BenchStores.message("#append", ++msgid, now)).toCompletableFuture();
        }
        CompletableFuture.allOf(stages).get(60, TimeUnit.SECONDS);
    }

    @Benchmark
    public void oneAtATime() throws Exception {
        store.append(BenchStores.message("#append", ++msgid, Instant.now())).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }
}
