package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.StoredMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One room on this server: its members here, topic and message ids. Every change happens under the room's own
 * lock and is handed, under it, to the {@link RoomLedger}, which tells the members (on every server sharing the
 * room) in one order, and messages in msgid order. On a single server a message is numbered and appended to the
 * {@link MessageStore} under a lock of its own, and sent to the members, under the room's lock, only once the store
 * has committed it and every message numbered before it was settled ({@code append}). Fan-out only queues bytes
 * (Sessions.send never blocks), which keeps the lock short. Members are a copy-on-write array, so reading them
 * (WHO, ROOMS, Directory) takes no lock.
 */
public final class Room {
    private static final Member[] NONE = new Member[0];
    /** What removing a member did (see told). */
    private static final int NOT_MEMBER = 0;
    private static final int REMOVED = 1;
    private static final int EMPTIED = 2;
    private static final MessageTime TIME = new MessageTime();

    private final Name name;
    private final Sessions sessions;
    private final Clock clock;
    private final Consumer<Room> whenEmpty;
    private final RoomLedger ledger;
    private final MessageStore store;         // used by append, when the ledger does not number the messages
    /** Messages appended to the store and not yet sent, in msgid order; added under numbering, taken under this. */
    private final ConcurrentLinkedQueue<Unsettled> unsettled = new ConcurrentLinkedQueue<>();
    /**
     * Numbering and appending a message take this lock, not the room's: a sender does not wait while another
     * thread fans a message out under the room's lock (see settle). Taken inside the room's lock, never around it.
     */
    private final Object numbering = new Object();
    /** Settle requests not yet looked at; the thread that raised it from 0 settles until it is 0 again. */
    private final AtomicInteger settleRequests = new AtomicInteger();
    private volatile Member[] members = NONE; // replaced, never changed, under this
    private volatile String topic;            // written under this
    private long lastMsgId;                   // guarded by numbering
    /** Cluster only: the log sequence of the last entry {@link #deliver} sent; read by checkpoints. */
    private volatile long deliveredThrough = -1;
    /** Cluster only: members taken over from another server, and the log sequence their backlog ran to. */
    private volatile Map<Member, Long> caughtUpTo = Map.of(); // replaced, never changed, under this
    private boolean closed;                   // guarded by this; the last member left, the room is gone
    private final RoomListeners listeners;    // told after a change, outside the lock
    /** Keeps the topic past a restart (single server); called under the lock, so the store sees the last one. */
    private volatile Consumer<Room> topicKeeper = room -> { };

    /**
     * @param lastMsgId the highest msgid the room ever gave: numbering continues after it
     * @param topic     the topic it had when it last emptied, or null
     */
    Room(Name name, Sessions sessions, Clock clock, Consumer<Room> whenEmpty, RoomLedger ledger,
         MessageStore store, long lastMsgId, String topic, RoomListeners listeners) {
        this.listeners = listeners;
        this.name = name;
        this.ledger = ledger;
        this.sessions = sessions;
        this.clock = clock;
        this.whenEmpty = whenEmpty;
        this.store = store;
        this.lastMsgId = lastMsgId;
        this.topic = topic;
    }

    void keepTopicWith(Consumer<Room> keeper) {
        topicKeeper = keeper;
    }

    /** The highest msgid given so far; the caller holds the room's lock. */
    long lastMsgIdHeld() {
        synchronized (numbering) {
            return lastMsgId;
        }
    }

    /** The name as the room's creator wrote it; its key identifies the room. */
    public Name name() {
        return name;
    }

    /** The members in the order they joined, as a snapshot. */
    public List<Member> members() {
        return List.of(members);
    }

    public int size() {
        return members.length;
    }

    /** The topic, or null when none is set. */
    public String topic() {
        return topic;
    }

    /**
     * Adds the member and tells the others {@code JOINED}.
     *
     * @return false when the room closed meanwhile (its last member left); the caller opens a fresh one
     */
    boolean join(Member member) {
        Boolean added = add(member);
        if (added == null) {
            return false;
        }
        if (added) {
            listeners.joined(this, member);
        }
        return true;
    }

    /** join's change: null when closed, false when a member already, true when added. */
    private synchronized Boolean add(Member member) {
        if (closed) {
            return null;
        }
        Member[] current = members;
        if (Arrays.asList(current).contains(member)) {
            return false;
        }
        Member[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = member;
        members = grown;
        member.joined(this);
        if (current.length == 0) {
            ledger.opened(this);
        }
        ledger.joined(this, member);
        return true;
    }

    /**
     * Removes the member and tells the others {@code LEFT}, with the reason when there is one. The last
     * member leaving closes the room.
     *
     * @return false when the member was not in the room
     */
    boolean leave(Member member, String reason) {
        return told(member, removeLeaving(member, reason));
    }

    /** Tells the listeners what a removal did; true when the member was removed. */
    private boolean told(Member member, int removal) {
        if (removal == NOT_MEMBER) {
            return false;
        }
        listeners.parted(this, member);
        if (removal == EMPTIED) {
            listeners.emptied(this);
        }
        return true;
    }

    private synchronized int removeLeaving(Member member, String reason) {
        Member[] current = members;
        int at = Arrays.asList(current).indexOf(member);
        if (at < 0) {
            return NOT_MEMBER;
        }
        Member[] shrunk = remove(member, at);
        ledger.left(this, member, reason);
        if (shrunk.length == 0) {
            ledger.closed(this);
        }
        return shrunk.length == 0 ? EMPTIED : REMOVED;
    }

    /**
     * Sends an event to every member of the room (moderation: GRANTED, BANNED), on every server sharing it, in
     * the room's order.
     */
    public void announce(Frame event) {
        ledger.announce(name.key(), event);
    }

    /** Sends the event to the members here but one (null for none), under the lock: for the single server's ledger. */
    synchronized void tell(Frame event, Member except) {
        sessions.send(new Others(members, except), event);
    }

    /**
     * Removes the member on an operator's behalf: every member, the kicked one included, gets
     * {@code KICKED <#room> <nick> <by> :<reason>} (and no {@code LEFT}). The last member going closes the room.
     *
     * @return false when the member was not in the room
     */
    public boolean kick(Member member, String by, String reason) {
        return told(member, removeKicked(member, by, reason));
    }

    private synchronized int removeKicked(Member member, String by, String reason) {
        Member[] current = members;
        int at = Arrays.asList(current).indexOf(member);
        if (at < 0) {
            return NOT_MEMBER;
        }
        Frame kicked = Frame.of("KICKED").params(name.display(), member.nick().display(), by).trailing(reason).build();
        // The others get it in the room's order; the kicked member, leaving that order, at once.
        member.session().send(kicked);
        Member[] shrunk = remove(member, at);
        ledger.kicked(this, member, kicked);
        if (shrunk.length == 0) {
            ledger.closed(this);
        }
        return shrunk.length == 0 ? EMPTIED : REMOVED;
    }

    /** Takes the member at that index out; closes the room when it was the last. Caller holds the lock. */
    private Member[] remove(Member member, int at) {
        Member[] current = members;
        Member[] shrunk = new Member[current.length - 1];
        System.arraycopy(current, 0, shrunk, 0, at);
        System.arraycopy(current, at + 1, shrunk, at, current.length - at - 1);
        members = shrunk;
        member.left(this);
        if (shrunk.length == 0) {
            closed = true;
            whenEmpty.accept(this);
        }
        return shrunk;
    }

    /**
     * Has the ledger number, keep and send the message to every member but the sender (see
     * {@link RoomLedger#say}): on a single server {@link #append}; in a cluster the shared log numbers it, this
     * server commits it to the shared store, and {@link #deliver} sends it on every server alike. The room's lock
     * is not held, and no thread waits, while a cluster accepts it.
     *
     * @return completes once the message was kept, or exceptionally (with the store's
     *         {@link dev.parley.core.spi.store.StoreUnavailableException}) when it was not kept, and so not sent
     */
    CompletableFuture<Void> say(Member from, String text) {
        try {
            return ledger.say(this, from, text).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * For the single server's ledger: numbers the message and appends it to the store; once the store committed
     * it (and every earlier message of the room was settled) sends it to every member but the sender.
     *
     * @return completes once the message was sent to the members, or exceptionally when it was not kept
     */
    CompletableFuture<Void> append(Member from, String text) {
        Unsettled message;
        synchronized (numbering) {
            long msgid = ++lastMsgId;
            Instant now = clock.instant(); // under the lock, so that time tags never go back as msgids go up
            String nick = from.nick().display();
            CompletableFuture<Void> stored;
            try {
                // Under the lock: the store keeps a room's appends in call order, which is msgid order.
                stored = store.append(new StoredMessage(name.key(), msgid, now, nick, name.display(), text))
                        .toCompletableFuture();
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            message = new Unsettled(message(msgid, TIME.format(now), nick, text), from, stored, new CompletableFuture<>());
            unsettled.add(message);
        }
        message.stored().whenComplete((ignored, failure) -> settle());
        return message.sent();
    }

    /**
     * Sends the committed messages at the head of the queue, in msgid order, and drops the failed ones unsent;
     * a message committed before an earlier one waits for it. Senders are answered after the lock is let go.
     *
     * <p>One thread at a time settles a room: a thread that finds another settling leaves its request to it and
     * returns at once, instead of queueing on the room's lock behind a fan-out to every member. With several
     * workers saying into one big room, waiting there (an inflated monitor, parking and waking) cost more CPU
     * than the fan-out itself (bench/results/2026-12-07-fanout-quiet.md).
     */
    private void settle() {
        if (settleRequests.getAndIncrement() != 0) {
            return;
        }
        int requests = 1;
        do {
            settleOnce();
            requests = settleRequests.addAndGet(-requests);
        } while (requests != 0);
    }

    private void settleOnce() {
        List<Unsettled> settled = new ArrayList<>();
        synchronized (this) {
            for (Unsettled head; (head = unsettled.peek()) != null && head.stored().isDone(); ) {
                unsettled.poll();
                if (!head.stored().isCompletedExceptionally()) {
                    sessions.send(new Others(members, head.from()), head.message());
                }
                settled.add(head);
            }
        }
        for (Unsettled done : settled) {
            done.stored().whenComplete((ignored, failure) -> {
                if (failure != null) {
                    done.sent().completeExceptionally(failure);
                } else {
                    done.sent().complete(null);
                }
            });
        }
    }

    /** A message appended to the store and not yet sent; {@code sent} completes once it is settled. */
    private record Unsettled(Frame message, Member from, CompletableFuture<Void> stored, CompletableFuture<Void> sent) {
    }

    /** Sets (or with an empty text clears) the topic and tells the other members. */
    synchronized void topic(Member by, String text) {
        topic = text.isEmpty() ? null : text;
        topicKeeper.accept(this);
        ledger.topic(this, by, topic);
    }

    /** The {@code time} tag of a message received now. */
    public String timeNow() {
        return TIME.format(clock.instant());
    }

    /** A kept message as members received it: the same MSG line, with the same tags. */
    public static Frame message(StoredMessage kept) {
        return Frame.of("MSG")
                .tag("msgid", Long.toString(kept.msgid()))
                .tag("time", TIME.format(kept.time()))
                .params(kept.target(), kept.sender())
                .trailing(kept.text())
                .build();
    }

    /** A room message as members receive it and HISTORY replays it. */
    public Frame message(long msgid, String time, String nick, String text) {
        return Frame.of("MSG")
                .tag("msgid", Long.toString(msgid))
                .tag("time", time)
                .params(name.display(), nick)
                .trailing(text)
                .build();
    }

    /**
     * Cluster only: sends a message from the shared log, or a {@code JOINED}, {@code LEFT} or {@code TOPIC}
     * event, to this server's members, except the session with id {@code exceptSession} (the local member who
     * caused it; -1 for none) and members whose backlog already held it. A {@code TOPIC} event also sets the
     * topic here.
     *
     * @param sequence the entry's place in the room's log
     */
    public synchronized void deliver(Frame event, long exceptSession, long sequence) {
        if ("TOPIC".equals(event.verb())) {
            String text = event.trailing();
            topic = text == null || text.isEmpty() ? null : text;
        }
        Member[] current = members;
        if (!caughtUpTo.isEmpty()) {
            current = withoutCaughtUp(current, sequence);
        }
        Member except = null;
        for (Member m : current) {
            if (m.session().id() == exceptSession) {
                except = m;
            }
        }
        sessions.send(new Others(current, except), event);
        deliveredThrough = sequence;
    }

    /**
     * Cluster only: the log sequence of the last entry the member was sent (or, before its join reached this
     * server, skipped), -1 before the first. Every entry up to it was handed to the member's session before
     * this returned, so the session's {@link Session#lastSeq()} read afterwards covers them.
     */
    public long deliveredThrough(Member member) {
        Long mark = caughtUpTo.get(member);
        long delivered = deliveredThrough;
        return mark == null ? delivered : Math.max(delivered, mark);
    }

    /** Receives, under the room's lock, the backlog of a member taken over from another server. */
    @FunctionalInterface
    public interface Backlog {
        /**
         * Sends the member the room's events it missed.
         *
         * @return the log sequence of the last entry considered; later entries reach it by {@link #deliver}
         */
        long replay(Room room);
    }

    /**
     * Cluster only: adds a member taken over from another server without telling anyone (the cluster still
     * lists it as a member) and, under the room's lock, sends it what it missed; live entries the backlog
     * covered are not sent to it again.
     *
     * @return false when the room closed meanwhile; the caller opens a fresh one
     */
    boolean adopt(Member member, Backlog backlog) {
        Boolean added = addAdopted(member, backlog);
        if (added == null) {
            return false;
        }
        if (added) {
            listeners.joined(this, member);
        }
        return true;
    }

    /** adopt's change: null when closed, false when a member already, true when added. */
    private synchronized Boolean addAdopted(Member member, Backlog backlog) {
        if (closed) {
            return null;
        }
        Member[] current = members;
        if (Arrays.asList(current).contains(member)) {
            return false;
        }
        if (current.length == 0) {
            ledger.opened(this);
        }
        Member[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = member;
        members = grown;
        member.joined(this);
        long through = backlog.replay(this);
        if (through > deliveredThrough) {
            Map<Member, Long> marks = new HashMap<>(caughtUpTo);
            marks.put(member, through);
            caughtUpTo = marks;
        }
        return true;
    }

    /** The members minus those whose backlog covered this sequence; forgets marks the log has passed. */
    private Member[] withoutCaughtUp(Member[] current, long sequence) {
        Map<Member, Long> marks = new HashMap<>(caughtUpTo);
        marks.values().removeIf(through -> through < sequence);
        caughtUpTo = marks.isEmpty() ? Map.of() : marks;
        if (marks.isEmpty()) {
            return current;
        }
        return Arrays.stream(current).filter(m -> !marks.containsKey(m)).toArray(Member[]::new);
    }

    @Override
    public String toString() {
        return name.display();
    }

    /** The sessions of some members, one excluded, without copying them: fan-out allocates nothing per member. */
    private record Others(Member[] members, Member except) implements Iterable<Session> {
        @Override
        public Iterator<Session> iterator() {
            return new Iterator<>() {
                private int i = skip(0);

                private int skip(int from) {
                    while (from < members.length && members[from] == except) {
                        from++;
                    }
                    return from;
                }

                @Override
                public boolean hasNext() {
                    return i < members.length;
                }

                @Override
                public Session next() {
                    if (i >= members.length) {
                        throw new NoSuchElementException();
                    }
                    Session s = members[i].session();
                    i = skip(i + 1);
                    return s;
                }
            };
        }
    }
}
