package dev.parley.bench.scenario;

import java.time.Duration;

/**
 * How long a load run lasts: a warm-up whose messages are not counted, the measured window, and a bound on
 * connecting and registering everyone. Every run ends by itself after about setup + warm-up + duration.
 */
public record Timing(Duration warmup, Duration duration, Duration setupTimeout) {
    /** No run of the tool may ask for more than this: load tests here are bounded. */
    public static final Duration LONGEST = Duration.ofMinutes(10);

    public Timing {
        if (warmup.isNegative() || warmup.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("warm-up must be 0 to 10 minutes: " + warmup);
        }
        if (duration.isZero() || duration.isNegative() || duration.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("duration must be above 0 and at most 10 minutes: " + duration);
        }
        if (setupTimeout.isZero() || setupTimeout.isNegative() || setupTimeout.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("setup timeout must be above 0 and at most 10 minutes: " + setupTimeout);
        }
    }
}
