package dev.parley.chat.cluster;

import dev.parley.core.spi.cluster.SharedLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds a room's log entries on one server until its members may see them: a message only once the store
 * committed it, as on a single server (docs/protocol.md, "Durability"). The server that said a message appends,
 * after its commit, a marker to the same log ({@code +kept} or {@code +refused} with the msgid); every server
 * reads the markers in the one log order, so every server lets through, or drops, the same messages. Events
 * (JOINED, LEFT, TOPIC, KICKED) and messages keep their log order: whatever follows a message that waits,
 * waits behind it.
 *
 * <p>Without the gate a message reached members as soon as the log numbered it, before the store had it: a
 * message the store then refused (a msgid it kept already, after the log lost its entries in a split of the
 * cluster) was seen under a msgid given twice.
 *
 * <p>Called by the room's log reader, one batch at a time, and by {@link ClusterRooms}'s check of waiting
 * messages; thread-safe.
 */
final class CommitGate {
    /** A message was waiting this long: the check asks the store, and may settle it for its server. */
    static final long CHECK_AFTER_NANOS = 2_000_000_000L;
    /** The check asks about one message of the room at most this often (the store answers each). */
    static final long CHECK_PERIOD_NANOS = 250_000_000L;
    /** How many refused messages a gate remembers, for the backlog of a session taken over. */
    private static final int REFUSED_KEPT = 1000;

    /** What the room's log holds, as the gate sees it. */
    sealed interface Read {
    }

    /**
     * An entry members receive: a message ({@code msgid > 0}) of {@code origin}'s session, or an event
     * ({@code msgid == 0}).
     */
    record Entry(SharedLog.Entry entry, String origin, long msgid) implements Read {
        long sequence() {
            return entry.sequence();
        }
    }

    /** A marker: the store committed ({@code kept}) or refused the messages of {@code origin} with these msgids. */
    record Settled(String origin, long[] msgids, boolean kept) implements Read {
    }

    private enum State { WAITING, KEPT, REFUSED }

    private final ArrayDeque<Entry> held = new ArrayDeque<>();
    /** When each entry of {@link #held} was read (System.nanoTime), in the same order. */
    private final ArrayDeque<Long> readAt = new ArrayDeque<>();
    /** The state of each message in {@link #held}, by origin/msgid. */
    private final Map<String, State> states = new HashMap<>();
    /** Messages of the room's log dropped here, by origin/msgid, the latest last. */
    private final Map<String, Boolean> refused = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REFUSED_KEPT;
        }
    };
    /** The highest msgid let through: msgids only increase, so a message at or below it was let through. */
    private long lastMsgid;
    /** Kept messages read a second time and not let through again. */
    private long reread;
    /** The first sequence this gate reads. */
    private final long start;
    /** The sequence of the last entry let through or dropped; start - 1 before the first. */
    private volatile long decidedThrough;
    /** When the check last asked about a waiting message (System.nanoTime). */
    private long checkedAt;

    CommitGate(long start) {
        this.start = start;
        this.decidedThrough = start - 1;
    }

    /**
     * Takes what the reader read, in log order.
     *
     * @return the entries members may see now, in log order (the refused ones left out)
     */
    synchronized List<Entry> take(List<? extends Read> batch, long now) {
        for (Read read : batch) {
            if (read instanceof Settled s) {
                for (long msgid : s.msgids()) {
                    String key = key(s.origin(), msgid);
                    // The first marker for a message decides it; markers of messages not held here are old.
                    states.replace(key, State.WAITING, s.kept() ? State.KEPT : State.REFUSED);
                }
            } else if (read instanceof Entry e) {
                held.add(e);
                readAt.add(now);
                if (e.msgid() > 0) {
                    states.put(key(e.origin(), e.msgid()), State.WAITING);
                }
            }
        }
        return drain();
    }

    private List<Entry> drain() {
        List<Entry> out = new ArrayList<>();
        Entry head;
        while ((head = held.peek()) != null) {
            if (head.msgid() > 0) {
                String key = key(head.origin(), head.msgid());
                State state = states.get(key);
                if (state == State.WAITING) {
                    break;
                }
                if (state == null) {
                    // A second copy of a message held twice (read again while waiting): decided with the first.
                    state = refused.containsKey(key) ? State.REFUSED : State.KEPT;
                }
                states.remove(key);
                if (state == State.REFUSED) {
                    refused.put(key, Boolean.TRUE);
                } else if (head.msgid() <= lastMsgid) {
                    // Read again (the log's reader started over after the cluster lost the log): sent already.
                    reread++;
                } else {
                    lastMsgid = head.msgid();
                    out.add(head);
                }
            } else {
                out.add(head);
            }
            held.poll();
            readAt.poll();
            decidedThrough = head.sequence();
        }
        return out;
    }

    /**
     * The message at the head, if it was read longer than {@link #CHECK_AFTER_NANOS} ago and the check did not ask
     * about a message in that time, with how long it has waited, for the check to settle it. Each message's wait
     * counts from its own reading: several unmarked ones in a row are settled one check after the other, not one
     * wait after the other.
     */
    synchronized Optional<Waiting> waiting(long now) {
        Entry head = held.peek();
        if (head == null || head.msgid() == 0) {
            return Optional.empty();
        }
        long waited = now - readAt.peek();
        if (waited < CHECK_AFTER_NANOS || now - checkedAt < CHECK_PERIOD_NANOS) {
            return Optional.empty();
        }
        checkedAt = now;
        return Optional.of(new Waiting(head, waited));
    }

    /** A message that waits for its marker, and how long it has waited. */
    record Waiting(Entry entry, long nanos) {
    }

    /** How many kept messages were read a second time and not let through again. */
    synchronized long reread() {
        return reread;
    }

    /** How many entries wait here. */
    synchronized int held() {
        return held.size();
    }

    long start() {
        return start;
    }

    /** The sequence of the last entry let through or dropped (start - 1 before the first); read without locking. */
    long decidedThrough() {
        return decidedThrough;
    }

    /** Whether this gate dropped that message; for entries up to {@link #decidedThrough()}. */
    synchronized boolean wasRefused(String origin, long msgid) {
        return refused.containsKey(key(origin, msgid));
    }

    private static String key(String origin, long msgid) {
        return origin + "/" + msgid;
    }
}
