package dev.parley.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import dev.parley.core.log.RepeatedWarning;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.Subscription;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
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
 * <p><b>The reader barrier.</b> Appends never overwrite an entry a live reader has not read. Every reader, on
 * every node, says where it is (the next sequence it will read) on the cluster's positions channel as it moves
 * (see {@link ReaderPositions}); each node may have at most a <em>quota</em> of its own entries in the log that
 * the slowest reader has not read — a quarter of the capacity for two nodes, a sixth for three, … (capacity /
 * (2 × members)) — and holds its next batch until readers move on, so all nodes together keep the log's unread
 * part to half its capacity and the ring buffer cannot wrap onto it. A held batch waits on a timer or for the
 * next position, never on a thread; its callers' futures (a chat sender's {@code OK}) complete later, as with a
 * slow reader on a single server. A reader whose node left the cluster stops counting at once; one that stood
 * still behind the appends for the stale time ({@code parley.limits.slow-consumer-timeout}) stops counting until
 * it moves again — the writers then go on, and it skips what was overwritten, saying so in the log.
 */
final class HazelcastLog implements SharedLog {
    private static final Logger log = LoggerFactory.getLogger(HazelcastLog.class);
    /** Hazelcast's largest batch for one read, and for one addAll. */
    private static final int BATCH = 1000;
    /** Appends this node keeps waiting for the batch on its way; more fail at once (bounded memory). */
    static final int MAX_QUEUED = 20_000;
    /** How often a held appender looks again without news of a reader (one may have gone stale meanwhile). */
    static final long RECHECK_MILLIS = 50;
    /** How long a reader waits before it reads again after a failed read. */
    static final long RETRY_MILLIS = 100;
    /**
     * A reader that read nothing for this long has the log's tail looked at (was the log created anew?): one call
     * to the cluster per idle room and node in that time. Rooms with traffic find out sooner, at their next
     * append ({@link #wentBack}).
     */
    static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String NUMBERED = "1\n";
    private static final String UNNUMBERED = "0\n";

    /** Appends fail alike while this node is cut off from the majority: one WARN line per 10 s for all logs. */
    private static final RepeatedWarning APPEND_WARNINGS = new RepeatedWarning(Duration.ofSeconds(10));

    private final Ringbuffer<String> ring;
    private final String name;
    private final Duration timeout;
    private final Set<Reader> readers = new CopyOnWriteArraySet<>();
    /** Appends waiting for the next batch, in call order. */
    private final ArrayDeque<Pending> queued = new ArrayDeque<>(); // guarded by itself
    private boolean sending; // guarded by queued: a batch is on its way, or held by the barrier
    /**
     * This node's appends the slowest counted reader may not have read yet, as [first, last] sequence ranges,
     * oldest first. Guarded by queued.
     */
    private final ArrayDeque<long[]> unread = new ArrayDeque<>();
    /**
     * The highest sequence this node knows the log has: read by a reader here or given to an append of this node.
     * An append given a sequence not above it found the log created anew (see {@link #wentBack}).
     */
    private final AtomicLong known = new AtomicLong(-1);
    /** The next batch is held by the barrier; whoever clears this sends it. */
    private final AtomicBoolean held = new AtomicBoolean();
    private final ScheduledExecutorService timer;
    private final ReaderPositions positions;
    /** Where every reader of this log is, by reader key: this node's readers and the others'. */
    private final ConcurrentMap<String, ReaderPositions.Position> where;
    private final IntSupplier members;
    /** False once this node must not append any more (it stood still past the heartbeat timeout). */
    private final BooleanSupplier mayAppend;
    private final long staleNanos;
    private final int capacity;
    /**
     * Entries one read asks for, and one append sends: small against the capacity, so that the barrier moves in
     * steps much smaller than the room it keeps.
     */
    private final int readBatch;
    private final int writeBatch;

    HazelcastLog(Ringbuffer<String> ring, int capacity, Duration timeout, ScheduledExecutorService timer,
                 ReaderPositions positions, IntSupplier members, BooleanSupplier mayAppend, Duration stale) {
        this.ring = ring;
        this.name = ring.getName();
        this.capacity = capacity;
        this.readBatch = Math.max(1, Math.min(BATCH, capacity / 4));
        this.writeBatch = Math.max(1, Math.min(BATCH, capacity / 8));
        this.timeout = timeout;
        this.timer = timer;
        this.positions = positions;
        this.where = positions.of(name);
        this.members = members;
        this.mayAppend = mayAppend;
        this.staleNanos = stale.toNanos();
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
        return appendNumberedAsync(entry, late -> { });
    }

    @Override
    public CompletionStage<Long> appendNumberedAsync(String entry, LongConsumer late) {
        CompletableFuture<Long> sequence = enqueue(NUMBERED + entry);
        CompletableFuture<Long> answered = sequence.thenApply(s -> s + 1)
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(clusterFailure(failure)));
        sequence.thenAccept(s -> {
            // Not yet completed means it completes now, with this number; failed means the caller gave up on it.
            if (answered.isCompletedExceptionally()) {
                late.accept(s + 1);
            }
        });
        return answered;
    }

    /** An append waiting to be sent: what is stored, and where its sequence goes. */
    private record Pending(String stored, CompletableFuture<Long> sequence) {
    }

    private CompletableFuture<Long> enqueue(String stored) {
        Pending pending = new Pending(stored, new CompletableFuture<>());
        synchronized (queued) {
            if (queued.size() >= MAX_QUEUED) {
                return CompletableFuture.failedFuture(new ClusterException("cannot append to " + name
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

    /**
     * An append was given a place this node had already seen taken: the cluster lost the log (a split left its
     * partition without either copy) and created it anew. Readers here may wait at their old place, which the new
     * log reaches only later, and would skip what it holds before; they start again at its head.
     */
    private void wentBack(long first, long knownBefore) {
        log.warn("{} went back: an append got sequence {}, this node had seen {}; its readers start again at the"
                + " log's head", name, first, knownBefore);
        known.set(-1);
        try {
            timer.execute(() -> readers.forEach(Reader::restartAtHead));
        } catch (RejectedExecutionException e) {
            // Closing: the readers stop anyway.
        }
    }

    /** A reader of this log moved, or one stopped counting: a held batch may go now. */
    void readersMoved() {
        if (held.compareAndSet(true, false)) {
            sendNext();
        }
    }

    /** Sends what queued up as one batch, and again when the cluster answered, until nothing is left. */
    private void sendNext() {
        List<Pending> batch = new ArrayList<>();
        List<Pending> refused = List.of();
        synchronized (queued) {
            if (queued.isEmpty()) {
                sending = false;
                return;
            }
            if (!mayAppend.getAsBoolean()) {
                refused = new ArrayList<>(queued);
                queued.clear();
                sending = false;
            } else {
                long room = quota() - unreadFrom(floor(System.nanoTime()));
                if (room <= 0) {
                    hold();
                    return;
                }
                while (batch.size() < Math.min(writeBatch, room) && !queued.isEmpty()) {
                    batch.add(queued.poll());
                }
            }
        }
        if (!refused.isEmpty()) {
            ClusterException e = cutOff();
            refused.forEach(p -> p.sequence().completeExceptionally(e));
            return;
        }
        List<String> values = new ArrayList<>(batch.size());
        batch.forEach(p -> values.add(p.stored()));
        long knownBefore = known.get();
        CompletionStage<Long> added;
        try {
            added = ring.addAllAsync(values, OverflowPolicy.OVERWRITE);
        } catch (RuntimeException e) {
            added = CompletableFuture.failedFuture(e);
        }
        added.whenComplete((last, failure) -> {
            if (failure == null && !mayAppend.getAsBoolean()) {
                // Appended to this node's copy while it stood still; the cluster has numbered on without it.
                failure = cutOff();
            }
            if (failure != null) {
                APPEND_WARNINGS.log(log, "failed appends", "appending {} entries to {} failed: {}", batch.size(),
                        name, failure.toString());
                ClusterException e = clusterFailure(failure);
                batch.forEach(p -> p.sequence().completeExceptionally(e));
            } else {
                // One addAll takes consecutive sequences, the last one returned.
                long first = last - batch.size() + 1;
                if (first <= knownBefore) {
                    wentBack(first, knownBefore);
                }
                known.accumulateAndGet(last, Math::max);
                synchronized (queued) {
                    unread.add(new long[] {first, last});
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).sequence().complete(first + i);
                }
            }
            sendNext();
        });
    }

    private ClusterException cutOff() {
        return new ClusterException("cannot append to " + name + ": this node stood still longer than the"
                + " cluster's heartbeat timeout and is cut off from it", null);
    }

    /** Holds the next batch until a reader moves, or a while (a reader may go stale). Caller holds queued. */
    private void hold() {
        held.set(true);
        try {
            timer.schedule(this::readersMoved, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: nothing will come back to send them.
            held.set(false);
            sending = false;
            ClusterException closed = new ClusterException("cannot append to " + name + ": the cluster is closing", e);
            queued.forEach(p -> p.sequence().completeExceptionally(closed));
            queued.clear();
        }
    }

    /** How many of its entries this node may have in the log unread by the slowest counted reader. */
    private long quota() {
        return Math.max(1, capacity / (2L * Math.max(1, members.getAsInt())));
    }

    /**
     * The lowest next-to-read of the readers that count: those that have not read all of this node's appends
     * count until they stood still behind them for the stale time. Caller holds queued.
     */
    private long floor(long now) {
        long newest = unread.isEmpty() ? Long.MIN_VALUE : unread.peekLast()[1];
        long floor = Long.MAX_VALUE;
        for (Map.Entry<String, ReaderPositions.Position> e : where.entrySet()) {
            ReaderPositions.Position p = e.getValue();
            if (p.next() > newest) {
                continue;
            }
            long since = p.behindSince(now);
            if (now - since > staleNanos) {
                if (p.markStale()) {
                    log.warn("reader {} of {} has stood still at {} for {} ms behind this node's appends: it no"
                            + " longer holds them, and will miss what they overwrite", e.getKey(), name, p.next(),
                            TimeUnit.NANOSECONDS.toMillis(now - since));
                }
                continue;
            }
            floor = Math.min(floor, p.next());
        }
        return floor;
    }

    /** This node's entries at or after {@code floor}; forgets those before it. Caller holds queued. */
    private long unreadFrom(long floor) {
        while (!unread.isEmpty() && unread.peekFirst()[1] < floor) {
            unread.poll();
        }
        long count = 0;
        for (long[] range : unread) {
            count += range[1] - Math.max(range[0], floor) + 1;
        }
        return count;
    }

    private ClusterException clusterFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ClusterException c) {
            return c;
        }
        if (cause instanceof TimeoutException) {
            return new ClusterException("the cluster did not accept an append to " + name
                    + " within " + timeout, cause);
        }
        return new ClusterException("cannot append to " + name + ": " + cause, cause);
    }

    private long await(CompletableFuture<Long> sequence, Duration wait) {
        try {
            return sequence.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while appending to " + name, e);
        } catch (ExecutionException e) {
            throw clusterFailure(e.getCause());
        } catch (TimeoutException e) {
            throw new ClusterException("the cluster did not accept an append to " + name + " within "
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
            throw new ClusterException("interrupted while reading " + name, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new ClusterException("cannot read " + name + ": " + e, e);
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
                    log.error("log listener of {} failed", name, e);
                }
            }
        });
    }

    @Override
    public Subscription subscribeBatches(long from, Consumer<List<Entry>> listener) {
        Reader reader = new Reader(listener, from, positions.newReaderKey());
        readers.add(reader);
        reader.moved(from);
        reader.next();
        return reader;
    }

    /** How many readers of this log, on any node, this node knows of. */
    int readersKnown() {
        return where.size();
    }

    /**
     * Says again where this node's readers are, for nodes that joined or missed a step (the timer's task).
     *
     * @param always also the readers that said where they are a moment ago (a node joined)
     */
    void sayWhereReadersAre(long now, boolean always) {
        readers.forEach(r -> {
            r.remind(now, always);
            r.checkCreatedAnew(now);
        });
    }

    void stop() {
        readers.forEach(Reader::close);
    }

    private final class Reader implements Subscription {
        private final Consumer<List<Entry>> listener;
        private final String key;
        private volatile long sequence;
        private volatile boolean closed;
        /** Failed reads in a row, for a log line now and then rather than at every try. */
        private int failures;
        /** Counts restarts; a read started before the latest one is ignored. Guarded by this. */
        private int generation;
        /** When a read last completed, and when the timer last looked at the log's tail (System.nanoTime). */
        private volatile long readAt = System.nanoTime();
        private volatile long checkedAt;
        /** What this reader last said on the positions channel, and when (System.nanoTime); guarded by this. */
        private long said = -1;
        private long saidAt;

        Reader(Consumer<List<Entry>> listener, long from, String key) {
            this.listener = listener;
            this.sequence = from;
            this.key = key;
            this.saidAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(ReaderPositions.REMIND_MILLIS);
        }

        void next() {
            int reading;
            synchronized (this) {
                if (closed) {
                    return;
                }
                reading = generation;
            }
            ring.readManyAsync(sequence, 1, readBatch, null).whenComplete((batch, failure) -> {
                synchronized (this) {
                    // A read of before a restart (it may wait for a place the log created anew will reach late).
                    if (closed || reading != generation) {
                        return;
                    }
                }
                if (failure == null) {
                    readAt = System.nanoTime();
                    // The listener runs outside this reader's lock: it takes rooms' locks, under which rooms close
                    // their readers.
                    long next = read(batch);
                    synchronized (this) {
                        if (reading != generation) {
                            return;
                        }
                        sequence = next;
                    }
                    next();
                    return;
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof StaleSequenceException) {
                    long head = ring.headSequence();
                    log.warn("reader of {} fell behind: entries {} to {} were overwritten before it read them",
                            name, sequence, head - 1);
                    sequence = head;
                    moved(head);
                    next();
                } else if (cause instanceof HazelcastInstanceNotActiveException) {
                    closed = true;
                } else {
                    retry(cause, reading);
                }
            });
        }

        /** Hands what was read to the listener; returns the sequence to read next. */
        private long read(ReadResultSet<String> batch) {
            failures = 0;
            if (batch.size() > 0 && batch.getSequence(0) > sequence) {
                log.warn("reader of {} fell behind: entries {} to {} were overwritten before it read them",
                        name, sequence, batch.getSequence(0) - 1);
            }
            long next = batch.getNextSequenceToReadFrom();
            List<Entry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(entry(batch.getSequence(i), batch.get(i)));
            }
            // What was read is in memory: the writers may overwrite it while the listener works.
            moved(next);
            try {
                listener.accept(entries);
            } catch (RuntimeException e) {
                log.error("log listener of {} failed", name, e);
            }
            return next;
        }

        /**
         * The timer's check of a reader that has read nothing for a while: when the log's tail lies before the
         * place it waits for, the log was created anew (the cluster lost it in a split) and its read may wait
         * until the new log gets there; it starts again at the new log's head.
         */
        void checkCreatedAnew(long now) {
            if (closed || now - readAt < IDLE_CHECK_NANOS || now - checkedAt < IDLE_CHECK_NANOS) {
                return;
            }
            checkedAt = now;
            restartIfCreatedAnew();
        }

        /** Starts again at the log's head (the timer's task, after {@link #wentBack}). */
        void restartAtHead() {
            long head;
            try {
                head = ring.headSequence();
            } catch (RuntimeException e) {
                head = 0;
            }
            restart(head);
        }

        private void restart(long at) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                generation++;
                sequence = at;
                moved(at);
            }
            next();
        }

        /** Starts again at the log's head if its tail lies before this reader's place; true if it did. */
        private boolean restartIfCreatedAnew() {
            long tail;
            try {
                tail = ring.tailSequence();
            } catch (RuntimeException e) {
                return false; // the cluster cannot answer now: the next look tries again
            }
            if (closed || sequence <= tail + 1) {
                return false;
            }
            long head = ring.headSequence();
            log.warn("{} was created anew (its tail is {}, this reader was at {}): reading from {}", name, tail,
                    sequence, head);
            known.set(-1);
            restart(head);
            return true;
        }

        /** Reads again a moment later: at once would spin while the cluster cannot answer. */
        private void retry(Throwable cause, int reading) {
            if (failures++ % 100 == 0) {
                log.warn("reading {} at {} failed; retrying every {} ms: {}", name, sequence, RETRY_MILLIS,
                        cause.toString());
            }
            try {
                timer.schedule(() -> {
                    synchronized (this) {
                        if (closed || reading != generation) {
                            return;
                        }
                    }
                    if (!restartIfCreatedAnew()) {
                        next();
                    }
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                closed = true;
            }
        }

        /**
         * Records the new position here at once, and tells the others in steps (the timer's reminder says the
         * rest): a step is smaller than any node's quota, so a reader that keeps up holds no writer for long.
         */
        void moved(long next) {
            known.accumulateAndGet(next - 1, Math::max);
            positions.local(name, key, next);
            synchronized (this) {
                if (!closed && (said < 0 || next - said >= positions.step(capacity))) {
                    say(next, System.nanoTime());
                }
            }
        }

        /** The timer's reminder: says a position not said yet, and every position now and then (or now). */
        synchronized void remind(long now, boolean always) {
            long next = sequence;
            if (!closed && (always || next != said
                    || now - saidAt >= TimeUnit.MILLISECONDS.toNanos(ReaderPositions.REMIND_MILLIS))) {
                say(Math.max(next, said), now);
            }
        }

        private void say(long next, long now) {
            said = next;
            saidAt = now;
            positions.publish(name, key, next);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                positions.gone(name, key);
            }
            readers.remove(this);
        }
    }
}
