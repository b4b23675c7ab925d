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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 *
 * <p>Readers slow the writers down rather than lose entries: a reader that finds itself more than a quarter
 * of the capacity behind the tail says {@code hold <log>} on the cluster's pressure channel, again every
 * {@value #HOLD_RENEW_MILLIS} ms while it stays behind, and {@code release <log>} once it is within an eighth.
 * With a backlog it looks at the tail before every {@value #PIECE} entries it hands on, and reads and appends go
 * in pieces of at most a quarter and an eighth of the capacity, so the writers hear of it before they can lap
 * it — unless they outpace it many times over, or it froze: then it skips what was overwritten and says so in
 * the log.
 * Every node holds its batches to that log meanwhile, so its appenders' callers wait (a chat sender's
 * {@code OK}s come later, as with a slow reader on a single server). A hold lapses by itself after
 * {@value #HOLD_MILLIS} ms, so a reader that died or froze cannot stop a log for long.
 */
final class HazelcastLog implements SharedLog {
    private static final Logger log = LoggerFactory.getLogger(HazelcastLog.class);
    /** Hazelcast's largest batch for one read, and for one addAll. */
    private static final int BATCH = 1000;
    /** Appends this node keeps waiting for the batch on its way; more fail at once (bounded memory). */
    static final int MAX_QUEUED = 20_000;
    static final long HOLD_MILLIS = 250;
    /** Entries a reader hands on between two looks at the tail, when it has more. */
    private static final int PIECE = 32;
    static final long HOLD_RENEW_MILLIS = 50;
    private static final String NUMBERED = "1\n";
    private static final String UNNUMBERED = "0\n";

    private final Ringbuffer<String> ring;
    private final Duration timeout;
    private final Set<Reader> readers = new CopyOnWriteArraySet<>();
    /** Appends waiting for the next batch, in call order. */
    private final ArrayDeque<Pending> queued = new ArrayDeque<>(); // guarded by itself
    private boolean sending; // guarded by queued: a batch is on its way
    /** Until when (System.nanoTime) a lagging reader asked to hold appends; 0 for not held. */
    private volatile long heldUntil;
    private final ScheduledExecutorService timer;
    /** Publishes on the cluster's pressure channel. */
    private final Consumer<String> pressure;
    private final int capacity;
    /**
     * Entries one read asks for, and one append sends: small against the capacity, so that a reader notices it
     * lags (and the writers hold) well before they could overwrite what it has not read.
     */
    private final int readBatch;
    private final int writeBatch;

    HazelcastLog(Ringbuffer<String> ring, int capacity, Duration timeout, ScheduledExecutorService timer,
                 Consumer<String> pressure) {
        this.ring = ring;
        this.capacity = capacity;
        this.readBatch = Math.max(1, Math.min(BATCH, capacity / 4));
        this.writeBatch = Math.max(1, Math.min(BATCH, capacity / 8));
        this.timeout = timeout;
        this.timer = timer;
        this.pressure = pressure;
    }

    /** A reader somewhere asked to hold appends to this log (true), or let them go (false). */
    void pressure(boolean hold) {
        heldUntil = hold ? Math.max(1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS)) : 0;
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
        long held = heldUntil - System.nanoTime();
        if (heldUntil != 0 && held > 0) {
            try {
                timer.schedule(this::sendNext, Math.min(held, TimeUnit.MILLISECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
                return;
            } catch (RejectedExecutionException e) {
                // Shutting down: send now rather than strand the waiting appends.
            }
        }
        List<Pending> batch = new ArrayList<>();
        synchronized (queued) {
            while (batch.size() < writeBatch && !queued.isEmpty()) {
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
        return subscribeBatches(from, batch -> {
            for (Entry entry : batch) {
                try {
                    listener.accept(entry);
                } catch (RuntimeException e) {
                    log.error("log listener of {} failed", ring.getName(), e);
                }
            }
        });
    }

    @Override
    public Subscription subscribeBatches(long from, Consumer<List<Entry>> listener) {
        Reader reader = new Reader(listener, from);
        readers.add(reader);
        reader.next();
        return reader;
    }

    void stop() {
        readers.forEach(Reader::close);
    }

    private final class Reader implements Subscription {
        private final Consumer<List<Entry>> listener;
        private volatile long sequence;
        private volatile boolean closed;
        /** This reader asked the writers to hold, and when it last said so (System.nanoTime). */
        private boolean holding;
        private long saidHold;

        Reader(Consumer<List<Entry>> listener, long from) {
            this.listener = listener;
            this.sequence = from;
        }

        void next() {
            if (closed) {
                return;
            }
            ring.readManyAsync(sequence, 1, readBatch, null).whenComplete((batch, failure) -> {
                if (closed) {
                    return;
                }
                if (failure == null) {
                    if (batch.size() > 0 && batch.getSequence(0) > sequence) {
                        log.warn("reader of {} fell behind: entries {} to {} were overwritten before it read them",
                                ring.getName(), sequence, batch.getSequence(0) - 1);
                    }
                    long next = batch.getNextSequenceToReadFrom();
                    List<Entry> entries = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        entries.add(entry(batch.getSequence(i), batch.get(i)));
                    }
                    // A long read is handed on in pieces, asking before each where the tail is: the writers hold
                    // while this reader works through a backlog, within a piece of its noticing one.
                    if (entries.size() <= PIECE) {
                        pace(0);
                        hand(entries);
                    }
                    for (int from = 0; entries.size() > PIECE && from < entries.size() && !closed; from += PIECE) {
                        pace(tail() - entries.get(from).sequence() + 1);
                        hand(entries.subList(from, Math.min(entries.size(), from + PIECE)));
                    }
                    sequence = next;
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

        private void hand(List<Entry> entries) {
            try {
                listener.accept(entries);
            } catch (RuntimeException e) {
                log.error("log listener of {} failed", ring.getName(), e);
            }
        }

        /**
         * Asks the writers to hold while this reader is far behind, and to go on once it has caught up.
         *
         * @param behind entries from the next one it hands on to the tail
         */
        private void pace(long behind) {
            long now = System.nanoTime();
            if (behind > capacity / 4) {
                if (!holding || now - saidHold > TimeUnit.MILLISECONDS.toNanos(HOLD_RENEW_MILLIS)) {
                    if (!holding) {
                        log.debug("reader of {} is {} entries behind: holding the writers", ring.getName(), behind);
                    }
                    holding = true;
                    saidHold = now;
                    pressure.accept("hold " + ring.getName());
                }
            } else if (holding && behind < capacity / 8) {
                holding = false;
                pressure.accept("release " + ring.getName());
            }
        }

        private long tail() {
            try {
                return ring.tailSequence();
            } catch (RuntimeException e) {
                return sequence - 1;
            }
        }

        @Override
        public void close() {
            closed = true;
            readers.remove(this);
            if (holding) {
                holding = false;
                pressure.accept("release " + ring.getName());
            }
        }
    }
}
