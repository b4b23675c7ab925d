package dev.parley.core.server;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pending replies of one session's overlapping commands ({@link dev.parley.core.spi.Command#orderedOverlap()}).
 * Each one's reply is chained behind the one before (see {@link Dispatcher#dispatch(ServerSession,
 * dev.parley.core.protocol.Frame, CompletionStage)}), so the last one's stage completes last. Bounded: at
 * {@code limit} pending, or {@code byteLimit} bytes of them, the next command waits as a non-overlapping one
 * would. Used by the session's draining worker only (successive drains are ordered by the session's monitor);
 * the counts are decremented by whichever thread completes a reply.
 */
final class OverlappingReplies {
    private final int limit;
    private final long byteLimit;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private CompletionStage<?> last;

    /**
     * @param limit     most replies pending at once: {@code parley.limits.max-queued-commands}
     * @param byteLimit most bytes of commands pending at once: what their events add to a recipient at once
     *                  when they are fanned out together (a store's commit), before their sender can wait for it
     */
    OverlappingReplies(int limit, long byteLimit) {
        this.limit = limit;
        this.byteLimit = byteLimit;
    }

    /** The stage of the last pending reply, completing after every other; null when none is pending. */
    CompletionStage<?> pending() {
        if (last != null && pending.get() == 0) {
            last = null;
        }
        return last;
    }

    /** True when no reply is pending; safe from any thread (the shutdown asks whether the session is idle). */
    boolean settled() {
        return pending.get() == 0;
    }

    /** True when no more may be pending. */
    boolean full() {
        return pending.get() >= limit || pendingBytes.get() >= byteLimit;
    }

    /** Adds the stage of a reply chained behind {@link #pending()}, for a command of about {@code bytes}. */
    void add(CompletionStage<?> reply, long bytes) {
        pending.incrementAndGet();
        pendingBytes.addAndGet(bytes);
        last = reply;
        reply.whenComplete((ignored, error) -> {
            pendingBytes.addAndGet(-bytes);
            pending.decrementAndGet();
        });
    }
}
