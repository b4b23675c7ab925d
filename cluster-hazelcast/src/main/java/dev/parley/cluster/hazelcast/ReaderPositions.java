package dev.parley.cluster.hazelcast;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where every reader of every shared log is, as this node knows it: its own readers at once, the other nodes'
 * from channel {@code parley.log.positions}, on which each reader says {@code <next> <reader> <log>} (the next
 * sequence it reads; -1 once it stopped) as it moves, in steps of a 32nd of the log's capacity, within a
 * reminder period (250 ms) when it moved less, and every {@value #REMIND_MILLIS} ms anyway for nodes that came
 * later. A reader is {@code <node-id>#<n>}; a node that leaves the cluster takes its readers with it.
 */
final class ReaderPositions {
    /** Every reader says where it is this often even when it did not move. */
    static final long REMIND_MILLIS = 1000;

    private final String node;
    private final Consumer<String> publish;
    /** Told the name of a log whose readers moved or stopped counting. */
    private final Consumer<String> moved;
    private final ConcurrentMap<String, ConcurrentMap<String, Position>> byLog = new ConcurrentHashMap<>();
    private final AtomicLong readers = new AtomicLong();

    /**
     * @param node    this node's id
     * @param publish sends a line on the positions channel
     * @param moved   told the name of a log whose readers moved, left or went
     */
    ReaderPositions(String node, Consumer<String> publish, Consumer<String> moved) {
        this.node = node;
        this.publish = publish;
        this.moved = moved;
    }

    /** The readers of one log, by reader key; live, shared with the log. */
    ConcurrentMap<String, Position> of(String log) {
        return byLog.computeIfAbsent(log, l -> new ConcurrentHashMap<>());
    }

    String newReaderKey() {
        return node + "#" + readers.incrementAndGet();
    }

    /**
     * Entries a reader moves before it says so at once: less than a node's quota (capacity / (2 × members)) for
     * up to 16 members.
     */
    int step(int capacity) {
        return Math.max(1, capacity / 32);
    }

    /** One of this node's readers moved. */
    void local(String log, String reader, long next) {
        if (update(log, reader, next)) {
            moved.accept(log);
        }
    }

    void publish(String log, String reader, long next) {
        publish.accept(next + " " + reader + " " + log);
    }

    /** One of this node's readers stopped. */
    void gone(String log, String reader) {
        of(log).remove(reader);
        publish.accept("-1 " + reader + " " + log);
        moved.accept(log);
    }

    /** A line from the positions channel (this node's own lines come back too, and are known already). */
    void received(String line) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        if (second < 0) {
            return;
        }
        String reader = line.substring(first + 1, second);
        if (reader.startsWith(node + "#")) {
            return;
        }
        String log = line.substring(second + 1);
        long next;
        try {
            next = Long.parseLong(line.substring(0, first));
        } catch (NumberFormatException e) {
            return;
        }
        if (next < 0) {
            if (of(log).remove(reader) != null) {
                moved.accept(log);
            }
        } else if (update(log, reader, next)) {
            moved.accept(log);
        }
    }

    /** A node left the cluster: its readers stop counting. */
    void nodeLeft(String departed) {
        String prefix = departed + "#";
        for (Map.Entry<String, ConcurrentMap<String, Position>> log : byLog.entrySet()) {
            if (log.getValue().keySet().removeIf(k -> k.startsWith(prefix))) {
                moved.accept(log.getKey());
            }
        }
    }

    /** Positions only move forward (a late line must not take one back); true when this one moved. */
    private boolean update(String log, String reader, long next) {
        Position now = new Position(next);
        Position kept = of(log).merge(reader, now, (old, given) -> given.next > old.next ? given : old);
        return kept == now;
    }

    /**
     * A reader's next sequence to read, and since when (System.nanoTime) a writer has seen it behind its appends
     * at that position: a new position is a new object, so the clock restarts whenever the reader moves.
     */
    static final class Position {
        private final long next;
        private long behindSince = Long.MIN_VALUE;
        private boolean stale;

        Position(long next) {
            this.next = next;
        }

        long next() {
            return next;
        }

        /** When a writer first saw this reader behind it at this position (now, if this is the first time). */
        synchronized long behindSince(long now) {
            if (behindSince == Long.MIN_VALUE) {
                behindSince = now;
            }
            return behindSince;
        }

        /** True the first time: the caller says that the reader stopped counting. */
        synchronized boolean markStale() {
            boolean first = !stale;
            stale = true;
            return first;
        }
    }
}
