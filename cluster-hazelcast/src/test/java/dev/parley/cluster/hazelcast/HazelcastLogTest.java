package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.testkit.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The shared log on two Hazelcast members: numbering, the order of one node's appends, the barrier slow readers
 * put before the writers, and a node cut off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HazelcastLogTest {
    /** How long a reader may stand still behind the appends before it stops holding them (slow-consumer-timeout). */
    private static final Duration READER_STALE = Duration.ofSeconds(2);
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
                    Duration.ofSeconds(15), 0, READER_STALE))));
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
            // The writer's node has heard where the reader is before the flood: a reader that subscribed an
            // instant ago is unknown to the writers for that instant (docs/cluster.md).
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (((HazelcastLog) written).readersKnown() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            written.appendNumberedAsync("first").toCompletableFuture().get(10, TimeUnit.SECONDS);
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
        // Without the barrier the writer laps the reader many times over and the ring buffer overwrites entries.
        assertThat(seen).hasSize(total + 1).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("a reader that stops reading holds the writers only until it has stood still for the stale time")
    void stalledReaderStopsCounting() throws Exception {
        int capacity = 400;
        int total = 4 * capacity;
        SharedLog written = writer.log("test.stalled", capacity);
        SharedLog read = reader.log("test.stalled", capacity);
        CountDownLatch stalled = new CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (var subscription = read.subscribe(read.lastSequence() + 1, entry -> {
            seen.add(entry.number());
            awaitQuietly(stalled); // the first entry stops this reader until the test lets it go
        })) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (((HazelcastLog) written).readersKnown() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                acks.add(written.appendNumberedAsync("m" + i).toCompletableFuture());
            }
            // Every append is accepted in the end: a stalled reader does not stop the log for good.
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(acks.get(total - 1).join()).isEqualTo(written.lastSequence() + 1);
            stalled.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((seen.isEmpty() || seen.get(seen.size() - 1) < total) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        // It then skipped what was overwritten meanwhile, and read on from the oldest entry kept, in order.
        assertThat(seen).isSorted().doesNotHaveDuplicates().hasSizeLessThan(total).last().isEqualTo((long) total);
    }

    @Test
    @DisplayName("a node cut off from the cluster appends nothing: its appends fail and the log is unchanged")
    void cutOffNodeAppendsNothing() {
        SharedLog shared = writer.log("test.cut", 100);
        shared.appendNumbered("before", Duration.ofSeconds(10));
        long last = shared.lastSequence();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            HazelcastLog cutOff = new HazelcastLog(writer.hazelcast().getRingbuffer("test.cut"), 100,
                    Duration.ofSeconds(5), timer, new ReaderPositions("cut", line -> { }, log -> { }), () -> 2,
                    () -> false, READER_STALE);

            assertThatThrownBy(() -> cutOff.appendNumbered("while cut off", Duration.ofSeconds(10)))
                    .isInstanceOf(ClusterException.class).hasMessageContaining("cut off");
            assertThat(cutOff.appendAsync("event").toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
            assertThat(shared.lastSequence()).isEqualTo(last);
        } finally {
            timer.shutdown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
