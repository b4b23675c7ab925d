package dev.parley.auth;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts failed AUTHs per remote address in a fixed window that opens with the address's first failure.
 * An attempt is counted as a failure when it starts and refunded when it succeeds, so parallel connections
 * from one address cannot overshoot the limit between check and count. A success does not wipe earlier
 * failures: otherwise an attacker with one valid account could reset its counter at will.
 *
 * <p>Memory is bounded: at most {@code capacity} addresses are tracked; past that the one whose window
 * opened first (the next to expire) is forgotten.
 */
final class AttemptLimiter {
    /** Addresses tracked at most; an entry is some 100 bytes, so about a megabyte. */
    static final int DEFAULT_CAPACITY = 10_000;

    private final int maxFailures;
    private final long windowNanos;
    private final int capacity;
    private final LongSupplier nanoClock;
    /** In window-opening order: re-opened windows are removed and put again. Guarded by this. */
    private final LinkedHashMap<Object, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final long opened;
        int failures;

        Window(long opened) {
            this.opened = opened;
        }
    }

    AttemptLimiter(int maxFailures, Duration window, int capacity, LongSupplier nanoClock) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.capacity = capacity;
        this.nanoClock = nanoClock;
    }

    /**
     * Starts an attempt from the address, counting it as a failure until {@link #succeeded}.
     *
     * @return false when the address used up its failures in the current window: refuse the attempt
     */
    synchronized boolean tryAttempt(Object address) {
        long now = nanoClock.getAsLong();
        Window w = windows.get(address);
        if (w != null && now - w.opened >= windowNanos) {
            windows.remove(address);
            w = null;
        }
        if (w == null) {
            w = new Window(now);
            windows.put(address, w);
            evictBeyondCapacity();
        }
        if (w.failures >= maxFailures) {
            return false;
        }
        w.failures++;
        return true;
    }

    /** The attempt begun with {@link #tryAttempt} succeeded: it is not a failure. */
    synchronized void succeeded(Object address) {
        Window w = windows.get(address);
        if (w != null && w.failures > 0) {
            w.failures--;
        }
    }

    /** Addresses tracked now, for tests. */
    synchronized int tracked() {
        return windows.size();
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<Object, Window>> oldestFirst = windows.entrySet().iterator();
        while (windows.size() > capacity && oldestFirst.hasNext()) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }
}
