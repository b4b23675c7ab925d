package dev.parley.core.spi.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A totally ordered, bounded log shared by every node: each entry gets the next sequence number (from 0),
 * and every reader sees entries in sequence order. Only the last {@code capacity} entries are kept.
 *
 * <p>Some entries may also be <em>numbered</em>: numbered entries get 1, 2, 3, ... without gaps, in log order,
 * whatever other entries lie between them (a chat room numbers its messages, not its joins and parts).
 */
public interface SharedLog {

    /**
     * Appends an unnumbered entry and waits until the cluster accepted it.
     *
     * @return its sequence number
     * @throws ClusterException when the cluster did not accept it within the timeout
     */
    long append(String entry, Duration timeout);

    /**
     * Appends an unnumbered entry without waiting: for callers that must not block (an event sent to a
     * session of another node). The default waits, as {@link #append} with a 5 second timeout.
     *
     * @return completes with its sequence number, or exceptionally with a {@link ClusterException}
     */
    default CompletionStage<Long> appendAsync(String entry) {
        try {
            return CompletableFuture.completedFuture(append(entry, Duration.ofSeconds(5)));
        } catch (ClusterException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Appends an entry with the next number and waits until the cluster accepted it. Slower than
     * {@link #append}: numbered appends to one log are serialised cluster-wide.
     *
     * @return its number, from 1
     * @throws ClusterException when the cluster did not accept it within the timeout
     */
    long appendNumbered(String entry, Duration timeout);

    /** The last entries kept, at most n, oldest first. */
    List<Entry> tail(int n);

    /** The sequence number of the last entry appended, or -1 when the log is empty. */
    long lastSequence();

    /**
     * Calls the listener with every entry from sequence {@code from} on (usually {@link #lastSequence()} + 1),
     * in order, on one thread at a time. A reader that falls more than the capacity behind skips to the
     * oldest entry kept.
     */
    Subscription subscribe(long from, Consumer<Entry> listener);

    /**
     * An entry.
     *
     * @param sequence its place in the log, from 0
     * @param number   its number when it was appended numbered, else 0
     * @param value    what was appended
     */
    record Entry(long sequence, long number, String value) {
    }
}
