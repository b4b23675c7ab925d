package dev.parley.benchmarks.store;

import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.Ref;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.store.jdbc.JdbcMessageStore;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code HISTORY #room BEFORE <ref> 100} in a room of {@value #MESSAGES} messages, as the store serves it: one
 * {@link JdbcMessageStore#page} call (pool checkout, query, 100 rows read into records), with the reference a
 * random msgid or a random time anywhere in the room. Sample mode, so JMH reports p50/p99 of single calls.
 * The first run fills the room (a minute or two); later runs reuse it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StorePageBenchmark {
    static final long MESSAGES = 1_000_000;
    private static final String ROOM = "#million";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Param({"sqlite", "postgresql"})
    String database;

    private JdbcMessageStore store;

    @Setup(Level.Trial)
    public void open() throws Exception {
        store = BenchStores.open(database, "history");
        BenchStores.fill(store, ROOM, MESSAGES);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @State(Scope.Thread)
    public static class Refs {
        private final SplittableRandom random = new SplittableRandom(20);

        long msgid() {
            return random.nextLong(101, MESSAGES + 1);
        }
    }

    @Benchmark
    public List<StoredMessage> beforeMsgId(Refs refs) {
        List<StoredMessage> page = store.page(ROOM, Page.before(new Ref.MsgId(refs.msgid()), 100));
        if (page.size() != 100) {
            throw new IllegalStateException("a page of " + page.size());
        }
        return page;
    }

    @Benchmark
    public List<StoredMessage> beforeTime(Refs refs) {
        Ref at = new Ref.At(START.plusMillis(refs.msgid()));
        List<StoredMessage> page = store.page(ROOM, Page.before(at, 100));
        if (page.size() != 100) {
            throw new IllegalStateException("a page of " + page.size());
        }
        return page;
    }
}
