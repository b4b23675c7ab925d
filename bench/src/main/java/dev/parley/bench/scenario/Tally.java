package dev.parley.bench.scenario;

import dev.parley.bench.report.Latency;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one reactor thread, so the hot path shares nothing between threads. Written by that thread
 * only ({@link #increment}); the atomics let the main thread watch progress while the load runs.
 */
final class Tally {
    final Latency latency = new Latency();
    /** Messages whose send time lies in the measured window. */
    final AtomicLong sent = new AtomicLong();
    /** Deliveries of those messages. */
    final AtomicLong delivered = new AtomicLong();
    /** Every delivery, warm-up and drain included: progress for the drain wait. */
    final AtomicLong deliveredAll = new AtomicLong();
    /** Acknowledgements of messages whose send time lies in the measured window. */
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    /**
     * Adds one to a counter that only the calling thread writes: a plain read and an ordered store, without
     * the locked instruction of {@code incrementAndGet}, which ran twice per delivery.
     */
    static void increment(AtomicLong counter) {
        counter.lazySet(counter.get() + 1);
    }
}
