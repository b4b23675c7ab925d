package dev.parley.web.admin;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed admin logins per client address: after {@value #MAX_FAILURES} within {@link #WINDOW} the address gets
 * 429 until the window (counted from its first failure) has passed. Each HTTP Basic check costs a PBKDF2 hash,
 * so this bounds both password guessing and the CPU a stranger can make the server spend. Bounded: past
 * {@value #MAX_ADDRESSES} addresses, expired entries are dropped, and if none expired the newest are not
 * tracked (they still pay the hash).
 */
final class LoginFailures {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int MAX_ADDRESSES = 10_000;

    private record Entry(long firstNanos, int count) {
    }

    private final ConcurrentHashMap<InetAddress, Entry> failures = new ConcurrentHashMap<>();

    /** True when the address may try to log in now. */
    boolean allowed(InetAddress address, long nowNanos) {
        Entry entry = address == null ? null : failures.get(address);
        if (entry == null) {
            return true;
        }
        if (nowNanos - entry.firstNanos() > WINDOW.toNanos()) {
            failures.remove(address, entry);
            return true;
        }
        return entry.count() < MAX_FAILURES;
    }

    void failed(InetAddress address, long nowNanos) {
        if (address == null) {
            return;
        }
        if (failures.size() >= MAX_ADDRESSES) {
            failures.values().removeIf(e -> nowNanos - e.firstNanos() > WINDOW.toNanos());
            if (failures.size() >= MAX_ADDRESSES) {
                return;
            }
        }
        failures.merge(address, new Entry(nowNanos, 1), (old, one) -> nowNanos - old.firstNanos() > WINDOW.toNanos()
                ? one : new Entry(old.firstNanos(), old.count() + 1));
    }
}
