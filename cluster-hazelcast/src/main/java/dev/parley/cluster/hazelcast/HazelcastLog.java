package dev.parley.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * <p>Each stored value is {@code <number> LF <entry>} (number 0 when unnumbered). Numbered appends hold the
 * log's lock in the {@code parley.log.numbers} map, whose value is the last number given, while they append:
 * so numbers follow log order without gaps. Hazelcast releases the lock of a member that dies.
 */
final class HazelcastLog implements SharedLog {
    private static final Logger log = LoggerFactory.getLogger(HazelcastLog.class);
    /** Hazelcast's largest batch for one read. */
    private static final int BATCH = 1000;

    private final Ringbuffer<String> ring;
    private final IMap<String, Long> numbers;
    private final Duration timeout;
    private final Set<Reader> readers = new CopyOnWriteArraySet<>();

    HazelcastLog(Ringbuffer<String> ring, IMap<String, Long> numbers, Duration timeout) {
        this.ring = ring;
        this.numbers = numbers;
        this.timeout = timeout;
    }

    @Override
    public long append(String entry, Duration wait) {
        return add("0\n" + entry, wait);
    }

    @Override
    public CompletionStage<Long> appendAsync(String entry) {
        return ring.addAsync("0\n" + entry, OverflowPolicy.OVERWRITE).exceptionally(failure -> {
            log.warn("appending to {} failed: {}", ring.getName(), failure.toString());
            throw new ClusterException("cannot append to " + ring.getName() + ": " + failure, failure);
        });
    }

    @Override
    public long appendNumbered(String entry, Duration wait) {
        String name = ring.getName();
        boolean locked;
        try {
            locked = numbers.tryLock(name, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting to append to " + name, e);
        } catch (RuntimeException e) {
            throw new ClusterException("cannot lock " + name + ": " + e, e);
        }
        if (!locked) {
            throw new ClusterException("cannot append to " + name + ": its lock was busy for " + wait, null);
        }
        try {
            Long last = numbers.get(name);
            long number = (last == null ? 0 : last) + 1;
            add(number + "\n" + entry, wait);
            numbers.set(name, number);
            return number;
        } catch (RuntimeException e) {
            throw e instanceof ClusterException c ? c : new ClusterException("cannot append to " + name + ": " + e, e);
        } finally {
            try {
                numbers.unlock(name);
            } catch (RuntimeException e) {
                log.warn("cannot unlock {}: {}", name, e.toString());
            }
        }
    }

    private static Entry entry(long sequence, String stored) {
        int lf = stored.indexOf('\n');
        return new Entry(sequence, Long.parseLong(stored.substring(0, lf)), stored.substring(lf + 1));
    }

    private long add(String stored, Duration wait) {
        try {
            return ring.addAsync(stored, OverflowPolicy.OVERWRITE).toCompletableFuture()
                    .get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while appending to " + ring.getName(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new ClusterException("cannot append to " + ring.getName() + ": " + e, e);
        }
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
