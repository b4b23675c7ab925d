package dev.parley.benchmarks.store;

import dev.parley.core.spi.store.StoredMessage;
import dev.parley.store.jdbc.JdbcMessageStore;
import dev.parley.store.jdbc.JdbcSettings;
import dev.parley.store.jdbc.StoreUrl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stores the store benchmarks run against. {@code sqlite}: a file under {@code parley.bench.store.dir}
 * (default /tmp/parley-bench-store), synchronous = FULL (the default); {@code sqlite-normal}: the same with
 * synchronous = NORMAL. {@code postgresql}: the database at the JDBC URL in the system property
 * {@code parley.bench.store.postgresql} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/bench?user=parley}),
 * which the operator starts; bench/scripts/store-jmh.sh passes it to the forks.
 */
final class BenchStores {
    /** Appends in flight while filling: enough to fill every batch, bounded below the writer's queue. */
    private static final int IN_FLIGHT = 8_192;

    private BenchStores() {
    }

    static JdbcMessageStore open(String database, String name) {
        JdbcSettings settings = JdbcSettings.defaults();
        String url = switch (database) {
            case "sqlite" -> "jdbc:sqlite:" + name + ".db";
            case "sqlite-normal" -> {
                settings = new JdbcSettings(settings.poolSize(), settings.connectTimeout(), settings.statementTimeout(),
                        settings.queueSize(), settings.maxBatch(), "NORMAL");
                yield "jdbc:sqlite:" + name + "-normal.db";
            }
            case "postgresql" -> {
                String pg = System.getProperty("parley.bench.store.postgresql");
                if (pg == null) {
                    throw new IllegalStateException("set -Dparley.bench.store.postgresql=<jdbc url> (see"
                            + " bench/scripts/store-jmh.sh)");
                }
                yield pg;
            }
            default -> throw new IllegalArgumentException(database);
        };
        Path dir = Path.of(System.getProperty("parley.bench.store.dir", "/tmp/parley-bench-store"));
        return JdbcMessageStore.open(StoreUrl.parse(url, dir), null, null, settings);
    }

    /**
     * Appends msgids after the conversation's last up to {@code count}, pipelined through the group commit, one
     * message a millisecond apart.
     */
    static void fill(JdbcMessageStore store, String conversation, long count) throws Exception {
        long from = store.lastMsgId(conversation).orElse(0) + 1;
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        for (long msgid = from; msgid <= count; msgid++) {
            if (inFlight.size() == IN_FLIGHT) {
                inFlight.removeFirst().get(60, TimeUnit.SECONDS);
            }
            inFlight.addLast(store.append(message(conversation, msgid, start.plusMillis(msgid)))
                    .toCompletableFuture());
        }
        for (CompletableFuture<Void> stage : inFlight) {
            stage.get(60, TimeUnit.SECONDS);
        }
    }

    static StoredMessage message(String conversation, long msgid, Instant time) {
        return new StoredMessage(conversation, msgid, time, "alice", conversation,
                "a message of typical chat length, about sixty bytes long " + msgid);
    }
}
