package dev.parley.core.spi.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A totally ordered, bounded log shared by every node: each entry gets the next sequence number (from 0),
 * and every reader sees entries in sequence order. Only the last {@code capacity} entries are kept.
 *
 * <p>Some entries may also be <em>numbered</em>: a numbered entry's number is its sequence + 1, so numbers
 * increase in log order, are given once in the log's life (also when the node holding the log changes) and skip
 * the sequences of unnumbered entries between them. The log's holder gives the sequence as it appends, in one
 * step: a numbered append costs no more than an unnumbered one (a chat room numbers its messages, not its joins
 * and parts).
 *
 * <p>Appends of one node to one log are accepted in the order they were called, also when the caller does not
 * wait for each; an implementation may send appends that queue up meanwhile together.
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
     * Appends a numbered entry and waits until the cluster accepted it.
     *
     * @return its number (its sequence + 1)
     * @throws ClusterException when the cluster did not accept it within the timeout
     */
    long appendNumbered(String entry, Duration timeout);

    /**
     * Appends a numbered entry without waiting. The default waits, as {@link #appendNumbered} with a 5 second
     * timeout.
     *
     * @return completes with its number (its sequence + 1) once the cluster accepted it, or exceptionally with a
     *         {@link ClusterException}
     */
    default CompletionStage<Long> appendNumberedAsync(String entry) {
        try {
            return CompletableFuture.completedFuture(appendNumbered(entry, Duration.ofSeconds(5)));
        } catch (ClusterException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * As {@link #appendNumberedAsync(String)}; when the stage failed because the cluster did not answer in time
     * but the entry reaches the log later, {@code late} is told its number, so that the caller can withdraw it.
     * The default never calls {@code late}: its appends are not given up while they may still be taken. Since
     * SPI 1.5.
     */
    default CompletionStage<Long> appendNumberedAsync(String entry, LongConsumer late) {
        return appendNumberedAsync(entry);
    }

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
     * As {@link #subscribe}, handing the listener the entries as they were read together, in order: a reader
     * that fans out many entries can then send them together. The default hands them one at a time.
     */
    default Subscription subscribeBatches(long from, Consumer<List<Entry>> listener) {
        return subscribe(from, entry -> listener.accept(List.of(entry)));
    }

    /**
     * An entry.
     *
     * @param sequence its place in the log, from 0
     * @param number   its number (sequence + 1) when it was appended numbered, else 0
     * @param value    what was appended
     */
    record Entry(long sequence, long number, String value) {
    }
}
