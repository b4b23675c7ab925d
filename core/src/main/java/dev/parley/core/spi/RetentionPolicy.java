package dev.parley.core.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How long, and how much, core keeps of a registered session whose connection dropped; see
 * {@link PluginContext#retainSessions}.
 *
 * @param grace       how long a detached session waits for a {@code RESUME} before it ends as usual
 * @param replayLimit events kept per registered session for replay; a detached session with more than this
 *                    many events no connection accepted ends at once (a later resume gets
 *                    {@link SessionRetention.Outcome#REPLAY_OVERFLOW})
 */
public record RetentionPolicy(Duration grace, int replayLimit) {

    public RetentionPolicy {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("the resume grace must be positive: " + grace);
        }
        if (replayLimit < 1) {
            throw new IllegalArgumentException("the replay limit must be at least 1: " + replayLimit);
        }
    }
}
