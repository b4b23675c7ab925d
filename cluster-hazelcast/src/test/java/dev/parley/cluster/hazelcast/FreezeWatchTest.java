package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The watch that cuts a node off after it stood still past the heartbeat timeout, on a clock the test moves. */
class FreezeWatchTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicInteger cutOffs = new AtomicInteger();
    private final FreezeWatch watch = new FreezeWatch(Duration.ofSeconds(4), clock::get, cutOffs::incrementAndGet);

    private void advance(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    @DisplayName("a node that keeps ticking, even with pauses shorter than the limit, may append")
    void tickingNodeMayAppend() {
        for (int i = 0; i < 100; i++) {
            advance(i % 10 == 0 ? 3_900 : 100);
            watch.tick();
            assertThat(watch.permits()).isTrue();
        }
        assertThat(cutOffs).hasValue(0);
        assertThat(watch.isCutOff()).isFalse();
    }

    @Test
    @DisplayName("right after a standstill longer than the limit, before the watch ticks again, appends are refused")
    void refusedBeforeTheNextTick() {
        watch.tick();
        advance(6_800); // SIGSTOP for 6.8 s: the others counted this node out after 5
        assertThat(watch.permits()).isFalse();
        assertThat(cutOffs).hasValue(1);
    }

    @Test
    @DisplayName("once cut off, a node stays cut off, and is told once")
    void cutOffForGood() {
        advance(4_001);
        watch.tick();
        assertThat(watch.isCutOff()).isTrue();
        assertThat(watch.standstill()).isEqualTo(Duration.ofMillis(4_001));
        for (int i = 0; i < 20; i++) {
            advance(100);
            watch.tick();
            assertThat(watch.permits()).isFalse();
        }
        assertThat(cutOffs).hasValue(1);
    }

    @Test
    @DisplayName("the limit is the heartbeat timeout less one heartbeat interval: the last heartbeat may be that old")
    void limitFromTheHeartbeatSettings() {
        assertThat(FreezeWatch.limit(Map.of())).isEqualTo(Duration.ofSeconds(55));
        assertThat(FreezeWatch.limit(Map.of("hazelcast.max.no.heartbeat.seconds", "5",
                "hazelcast.heartbeat.interval.seconds", "1"))).isEqualTo(Duration.ofSeconds(4));
        assertThat(FreezeWatch.limit(Map.of("hazelcast.max.no.heartbeat.seconds", "4",
                "hazelcast.heartbeat.interval.seconds", "5"))).isEqualTo(Duration.ofSeconds(2));
    }
}
