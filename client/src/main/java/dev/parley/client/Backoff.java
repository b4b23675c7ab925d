package dev.parley.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try reconnecting: attempt 1 after about {@code initial}, each later one after about twice the
 * previous, never more than {@code max}. Each wait is drawn from the upper half of that value ("equal
 * jitter"), so clients cut off together by a server restart do not all come back in the same millisecond,
 * yet none waits less than half the schedule.
 *
 * @param attempts how many attempts in all; 0 for no limit
 */
public record Backoff(Duration initial, Duration max, int attempts, DoubleSupplier random) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || attempts < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max and attempts >= 0, got " + initial + ", "
                    + max + ", " + attempts);
        }
    }

    /** Random jitter from {@link ThreadLocalRandom}. */
    public Backoff(Duration initial, Duration max, int attempts) {
        this(initial, max, attempts, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The wait before attempt {@code attempt} (from 1), or empty when the attempts are used up. */
    public Optional<Duration> delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        if (attempts > 0 && attempt > attempts) {
            return Optional.empty();
        }
        return Optional.of(jittered(ceiling(attempt)));
    }

    /** initial × 2^(attempt-1), capped at max, without overflowing for large attempts. */
    Duration ceiling(int attempt) {
        long nanos = initial.toNanos();
        for (int i = 1; i < attempt && nanos < max.toNanos(); i++) {
            nanos = nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
        }
        return Duration.ofNanos(Math.min(nanos, max.toNanos()));
    }

    private Duration jittered(Duration ceiling) {
        double r = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
        long half = ceiling.toNanos() / 2;
        return Duration.ofNanos(ceiling.toNanos() - half + Math.round(half * r));
    }

    /** {@code 4s}, {@code 0.7s}, {@code 40ms}: how long a wait is, as the reconnect notice shows it. */
    public static String seconds(Duration wait) {
        if (wait.toMillis() < 100) {
            return wait.toMillis() + "ms";
        }
        long tenths = Math.round(wait.toMillis() / 100.0);
        return tenths % 10 == 0 ? tenths / 10 + "s" : tenths / 10 + "." + tenths % 10 + "s";
    }
}
