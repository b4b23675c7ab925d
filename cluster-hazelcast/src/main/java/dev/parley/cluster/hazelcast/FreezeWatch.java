package dev.parley.cluster.hazelcast;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Notices that this process stood still (SIGSTOP, a very long pause) long enough for the other members to have
 * declared it dead: {@link #tick()} runs every {@value #TICK_MILLIS} ms, so a gap between two ticks longer than
 * the limit means the process did not run meanwhile. From then on this node is <em>cut off</em>: the others
 * promoted the backups of its partitions and numbered on, so anything it appends to its own copy would be a
 * second history, and its appends are refused. {@link #permits()} also refuses when the last tick is older than
 * the limit: right after the process wakes, before the watch has ticked, other threads may already run.
 *
 * <p>Being cut off is for good (this incarnation): the node is told once, and the server stops so that its
 * clients resume on the others, as after a crash.
 */
final class FreezeWatch {
    static final long TICK_MILLIS = 100;

    private final LongSupplier clock;
    private final long limitNanos;
    private final Runnable onCutOff;
    private final AtomicBoolean cutOff = new AtomicBoolean();
    private volatile long lastTick;
    private volatile long gapNanos;

    /**
     * @param limit    the longest standstill after which this node may still be a member
     * @param clock    System::nanoTime, or a test's clock
     * @param onCutOff run once, when the node finds it was cut off
     */
    FreezeWatch(Duration limit, LongSupplier clock, Runnable onCutOff) {
        this.clock = clock;
        this.limitNanos = limit.toNanos();
        this.onCutOff = onCutOff;
        this.lastTick = clock.getAsLong();
    }

    /**
     * The longest standstill after which the others cannot yet have removed this member: they do after
     * {@code hazelcast.max.no.heartbeat.seconds} without its heartbeat, and its last one may have gone out a
     * heartbeat interval before it stopped.
     */
    static Duration limit(java.util.Map<String, String> hazelcastProperties) {
        long timeout = Long.parseLong(hazelcastProperties.getOrDefault("hazelcast.max.no.heartbeat.seconds", "60"));
        long interval = Long.parseLong(hazelcastProperties.getOrDefault("hazelcast.heartbeat.interval.seconds", "5"));
        long limit = timeout - interval;
        return Duration.ofMillis(limit > 0 ? limit * 1000 : Math.max(1, timeout) * 500);
    }

    void tick() {
        long now = clock.getAsLong();
        long gap = now - lastTick;
        lastTick = now;
        if (gap > limitNanos) {
            cut(gap);
        }
    }

    /** False once cut off, or while the last tick is too old to tell. */
    boolean permits() {
        if (cutOff.get()) {
            return false;
        }
        long gap = clock.getAsLong() - lastTick;
        if (gap > limitNanos) {
            cut(gap);
            return false;
        }
        return true;
    }

    boolean isCutOff() {
        return cutOff.get();
    }

    /** How long the process stood still when it was cut off. */
    Duration standstill() {
        return Duration.ofNanos(gapNanos);
    }

    private void cut(long gap) {
        if (cutOff.compareAndSet(false, true)) {
            gapNanos = gap;
            onCutOff.run();
        }
    }
}
