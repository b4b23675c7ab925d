package dev.parley.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.Subscription;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedLog} on a Hazelcast {@code Ringbuffer}: the ring buffer's append order is the total order every
 * node reads, its sequence the entry's, its tail the history. Readers chain asynchronous batch reads, so a
 * reader holds no thread while it waits.
 *
 * <p>The member owning the ring buffer's partition sequences it: it gives each entry its sequence as it
 * appends (and copies it to the backup before answering), so a numbered entry's number, sequence + 1, costs
 * nothing more than the append, is in log order, and survives a change of owner with the backup that becomes
 * the new owner. Each stored value is {@code <flag> LF <entry>}, the flag 1 for a numbered entry, 0 otherwise.
 *
 * <p>This node's appends to one log go out one batch at a time ({@code addAllAsync}, up to {@value #BATCH}
 * entries): whatever was appended while a batch was on its way goes in the next. So they are accepted in call
 * order, and a pipelined sender costs one round trip to the owner per batch rather than per entry.
 */
final class HazelcastLog implements SharedLog {
    private static final Logger log = LoggerFactory.getLogger(HazelcastLog.class);
    /** Hazelcast's largest batch for one read, and for one addAll. */
    private static final int BATCH = 1000;
    /** Appends this node keeps waiting for the batch on its way; more fail at once (bounded memory). */
    static final int MAX_QUEUED = 20_000;
    private static final String NUMBERED = "1\n";
    private static final String UNNUMBERED = "0\n";

    private final Ringbuffer<String> ring;
    private final Duration timeout;
    private final Set<Reader> readers = new CopyOnWriteArraySet<>();
    /** Appends waiting for the next batch, in call order. */
    private final ArrayDeque<Pending> queued = new ArrayDeque<>(); // guarded by itself
    private boolean sending; // guarded by queued: a batch is on its way

    HazelcastLog(Ringbuffer<String> ring, Duration timeout) {
        this.ring = ring;
        this.timeout = timeout;
    }

    @Override
    public long append(String entry, Duration wait) {
        return await(enqueue(UNNUMBERED + entry), wait);
    }

    @Override
    public CompletionStage<Long> appendAsync(String entry) {
        return enqueue(UNNUMBERED + entry);
    }

    @Override
    public long appendNumbered(String entry, Duration wait) {
        return await(enqueue(NUMBERED + entry), wait) + 1;
    }

    @Override
    public CompletionStage<Long> appendNumberedAsync(String entry) {
        return enqueue(NUMBERED + entry).thenApply(sequence -> sequence + 1)
                .toCompletableFuture().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(clusterFailure(failure)));
    }

    /** An append waiting to be sent: what is stored, and where its sequence goes. */
    private record Pending(String stored, CompletableFuture<Long> sequence) {
    }

    private CompletableFuture<Long> enqueue(String stored) {
        Pending pending = new Pending(stored, new CompletableFuture<>());
        synchronized (queued) {
            if (queued.size() >= MAX_QUEUED) {
                return CompletableFuture.failedFuture(new ClusterException("cannot append to " + ring.getName()
                        + ": " + MAX_QUEUED + " appends are already waiting for the cluster", null));
            }
            queued.add(pending);
            if (sending) {
                return pending.sequence();
            }
            sending = true;
        }
        sendNext();
        return pending.sequence();
    }

    /** Sends what queued up as one batch, and again when the cluster answered, until nothing is left. */
    private void sendNext() {
        List<Pending> batch = new ArrayList<>();
        synchronized (queued) {
            while (batch.size() < BATCH && !queued.isEmpty()) {
                batch.add(queued.poll());
            }
            if (batch.isEmpty()) {
                sending = false;
                return;
            }
        }
        List<String> values = new ArrayList<>(batch.size());
        batch.forEach(p -> values.add(p.stored()));
        CompletionStage<Long> added;
        try {
            added = ring.addAllAsync(values, OverflowPolicy.OVERWRITE);
        } catch (RuntimeException e) {
            added = CompletableFuture.failedFuture(e);
        }
        added.whenComplete((last, failure) -> {
            if (failure != null) {
                log.warn("appending {} entries to {} failed: {}", batch.size(), ring.getName(), failure.toString());
                ClusterException e = clusterFailure(failure);
                batch.forEach(p -> p.sequence().completeExceptionally(e));
            } else {
                // One addAll takes consecutive sequences, the last one returned.
                long first = last - batch.size() + 1;
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).sequence().complete(first + i);
                }
            }
            sendNext();
        });
    }

    private ClusterException clusterFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ClusterException c) {
            return c;
        }
        if (cause instanceof TimeoutException) {
            return new ClusterException("the cluster did not accept an append to " + ring.getName()
                    + " within " + timeout, cause);
        }
        return new ClusterException("cannot append to " + ring.getName() + ": " + cause, cause);
    }

    private long await(CompletableFuture<Long> sequence, Duration wait) {
        try {
            return sequence.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while appending to " + ring.getName(), e);
        } catch (ExecutionException e) {
            throw clusterFailure(e.getCause());
        } catch (TimeoutException e) {
            throw new ClusterException("the cluster did not accept an append to " + ring.getName() + " within "
                    + wait, e);
        }
    }

    private static Entry entry(long sequence, String stored) {
        int lf = stored.indexOf('\n');
        boolean numbered = stored.charAt(0) != '0';
        return new Entry(sequence, numbered ? sequence + 1 : 0, stored.substring(lf + 1));
    }

    @Override
    public List<Entry> tail(int n) {
        List<Entry> out = new ArrayList<>();
        try {
            long tail = ring.tailSequence();
            long from = Math.max(ring.headSequence(), tail - n + 1);
            while (from <= tail) {
                int count = (int) Math.min(BATCH, tail - from + 1);
                ReadResultSet<String> batch = ring.readManyAsync(from, 0, count, null).toCompletableFuture()
                        .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (batch.size() == 0) {
                    break;
                }
                for (int i = 0; i < batch.size(); i++) {
                    out.add(entry(batch.getSequence(i), batch.get(i)));
                }
                from = batch.getNextSequenceToReadFrom();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while reading " + ring.getName(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new ClusterException("cannot read " + ring.getName() + ": " + e, e);
        }
        return out;
    }

    @Override
    public long lastSequence() {
        return ring.tailSequence();
    }

    @Override
    public Subscription subscribe(long from, Consumer<Entry> listener) {
        Reader reader = new Reader(listener, from);
        readers.add(reader);
        reader.next();
        return reader;
    }

    void stop() {
        readers.forEach(Reader::close);
    }

    private final class Reader implements Subscription {
        private final Consumer<Entry> listener;
        private volatile long sequence;
        private volatile boolean closed;

        Reader(Consumer<Entry> listener, long from) {
            this.listener = listener;
            this.sequence = from;
        }

        void next() {
            if (closed) {
                return;
            }
            ring.readManyAsync(sequence, 1, BATCH, null).whenComplete((batch, failure) -> {
                if (closed) {
                    return;
                }
                if (failure == null) {
                    for (int i = 0; i < batch.size() && !closed; i++) {
                        try {
                            listener.accept(entry(batch.getSequence(i), batch.get(i)));
                        } catch (RuntimeException e) {
                            log.error("log listener of {} failed", ring.getName(), e);
                        }
                    }
                    sequence = batch.getNextSequenceToReadFrom();
                    next();
                    return;
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof StaleSequenceException) {
                    long head = ring.headSequence();
                    log.warn("reader of {} fell behind: entries {} to {} were overwritten before it read them",
                            ring.getName(), sequence, head - 1);
                    sequence = head;
                    next();
                } else if (cause instanceof HazelcastInstanceNotActiveException) {
                    closed = true;
                } else {
                    log.warn("reading {} failed; retrying: {}", ring.getName(), cause.toString());
                    next();
                }
            });
        }

        @Override
        public void close() {
            closed = true;
            readers.remove(this);
        }
    }
}
