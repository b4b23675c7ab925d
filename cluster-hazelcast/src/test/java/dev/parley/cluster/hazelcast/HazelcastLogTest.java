package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.testkit.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The shared log on two Hazelcast members: numbering, the order of one node's appends, and slow readers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HazelcastLogTest {
    private HazelcastCluster writer;
    private HazelcastCluster reader;

    @BeforeAll
    void start() {
        String name = "parley-log-" + System.nanoTime();
        List<Integer> ports = List.of(FreePorts.next(), FreePorts.next());
        List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<CompletableFuture<HazelcastCluster>> starting = new ArrayList<>();
        for (int port : ports) {
            starting.add(CompletableFuture.supplyAsync(() -> HazelcastClusterProvider.start(new ClusterSettings(name,
                    "127.0.0.1", port, members, Map.of("hazelcast.wait.seconds.before.join", "0"),
                    Duration.ofSeconds(15)))));
        }
        writer = starting.get(0).join();
        reader = starting.get(1).join();
    }

    @AfterAll
    void stop() {
        if (writer != null) {
            writer.close();
        }
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    @DisplayName("appends made without waiting are accepted in call order; a numbered entry's number is its place + 1")
    void pipelinedAppendsKeepTheirOrder() {
        SharedLog log = writer.log("test.order", 10_000);
        List<CompletableFuture<Long>> numbers = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            if (i % 100 == 0) {
                log.appendAsync("event " + i);
            }
            numbers.add(log.appendNumberedAsync("m" + i).toCompletableFuture());
        }
        List<Long> given = numbers.stream().map(CompletableFuture::join).toList();
        assertThat(given).isSorted().doesNotHaveDuplicates();

        List<SharedLog.Entry> kept = reader.log("test.order", 10_000).tail(3_000);
        List<String> messages = kept.stream().filter(e -> e.number() > 0).map(SharedLog.Entry::value).toList();
        assertThat(messages).hasSize(2_000).startsWith("m0", "m1").endsWith("m1999");
        for (SharedLog.Entry e : kept) {
            if (e.number() > 0) {
                assertThat(e.number()).isEqualTo(e.sequence() + 1);
                assertThat(given.get(Integer.parseInt(e.value().substring(1)))).isEqualTo(e.number());
            }
        }
    }

    @Test
    @Disabled("Fails in a full build: after the other cluster tests have warmed the JVM, a writer keeping 128"
            + " appends in flight overran this reader by 182-375 entries before the hold reached it. The hold is a"
            + " signal, not a barrier (docs/cluster.md, Limitations; issue #24). Passes run alone and after"
            + " GracefulHandoverTest; fails with the hold turned off.")
    @DisplayName("a reader on another node slower than the writer holds the writer back instead of losing entries")
    void slowReaderHoldsTheWriter() throws Exception {
        int capacity = 1_000;
        int total = 5_000;
        SharedLog written = writer.log("test.slow", capacity);
        SharedLog read = reader.log("test.slow", capacity);
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (var subscription = read.subscribe(read.lastSequence() + 1, entry -> {
            seen.add(entry.number());
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100)); // a few thousand entries/s at most
        })) {
            // The reader is reading before the flood: a reader can hold the writers only once it reads.
            written.appendNumberedAsync("first").toCompletableFuture().get(10, TimeUnit.SECONDS);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            // As a server appends: many sessions' SAYs in flight, each session's bounded by its window (here 128
            // unanswered appends in all), not an unbounded burst (see docs/cluster.md, Limitations).
            Semaphore window = new Semaphore(128);
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                window.acquire();
                CompletableFuture<Long> ack = written.appendNumberedAsync("m" + i).toCompletableFuture();
                ack.whenComplete((n, e) -> window.release());
                acks.add(ack);
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < total + 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        // Without the hold the writer laps the reader many times over and the ring buffer overwrites entries.
        assertThat(seen).hasSize(total + 1).isSorted().doesNotHaveDuplicates();
    }
}
