package dev.parley.core.server;

/**
 * A token bucket for one session's commands: {@code burst} tokens, refilled at {@code perSecond}. Counts the
 * commands it rejected since the bucket was last full; a client that stays over its rate without ever
 * letting the bucket fill up again is flooding. Used by the one worker draining the session at a time, so
 * it needs no lock (the session's inbox hand-off orders the accesses).
 */
final class CommandRateLimiter {

    enum Verdict {
        /** Run the command. */
        RUN,
        /** Answer RATE_LIMITED without running it. */
        REJECT,
        /** Answer RATE_LIMITED and close the session with BYE FLOOD. */
        FLOOD
    }

    private final double perNano;
    private final int burst;
    private final int floodAfter;
    private double tokens;
    private long refilledAt;
    private int rejectedSinceFull;

    /**
     * @param perSecond  average commands per second, above 0
     * @param burst      bucket size, at least 1
     * @param floodAfter rejections (since the bucket was last full) that make a flood; 0 = never
     * @param now        {@link System#nanoTime()} at creation: the bucket starts full
     */
    CommandRateLimiter(double perSecond, int burst, int floodAfter, long now) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.floodAfter = floodAfter;
        this.tokens = burst;
        this.refilledAt = now;
    }

    /** One command arrives at {@code now} (nanoTime). */
    Verdict admit(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            refilledAt = now;
        }
        if (tokens >= burst) {
            rejectedSinceFull = 0;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.RUN;
        }
        rejectedSinceFull++;
        return floodAfter > 0 && rejectedSinceFull >= floodAfter ? Verdict.FLOOD : Verdict.REJECT;
    }
}
