package dev.parley.chat.cluster;

import dev.parley.chat.name.Name;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.chat.room.RoomLedger;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.core.spi.cluster.Subscription;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms across the cluster.
 * <ul>
 *   <li>map {@code parley.chat.rooms}: room key to its name as first written; {@code parley.chat.topics}: topic;</li>
 *   <li>map {@code parley.chat.members.<room>}: {@code node/session} to {@code join stamp, nick}, for WHO;</li>
 *   <li>log {@code parley.chat.log.<room>}: the room's messages (numbered) and its JOINED, LEFT, TOPIC and
 *       KICKED events (unnumbered), in the one order every server delivers them;</li>
 *   <li>map {@code parley.chat.msgid-offset}: the log's name to the offset of its numbers (msgid = offset +
 *       number), chosen when the log is first used above the highest msgid the shared store keeps, so that a log
 *       created anew (the whole cluster restarted) never gives a msgid again. Keyed by the log's name, the entry
 *       lives in the log's partition and moves (or is lost) with it.</li>
 * </ul>
 * A server reads a room's log only while the room has members on it. Every server, the one where an event
 * happened included, delivers the log in its order, so every member sees the room's messages and events in the
 * same order, as on a single server. The history is the shared {@link MessageStore}: the server whose session
 * said a message commits it there (group-committed with its other writes) before the sender's {@code OK}.
 */
final class ClusterRooms implements RoomLedger {
    private static final Logger log = LoggerFactory.getLogger(ClusterRooms.class);
    /** A LEFT sent on behalf of a departed server: every server delivers it. */
    private static final String NOBODY = "-";
    /**
     * Entries the log keeps beyond the history: room events share it, and readers lag (each node may have at most
     * capacity / (2 x members) of its entries unread by the slowest live reader; see the cluster module's
     * ReaderPositions).
     */
    private static final int LOG_HEADROOM = 4000;
    /**
     * Messages of one room this server may have in the log and not yet committed to the store: what members
     * may have seen that a crash of the whole cluster could leave out of the store.
     */
    static final int MAX_UNCOMMITTED = 1000;
    /**
     * How far above the store's highest msgid a room's numbering starts again when its log is created anew:
     * above every message the cluster had in its logs uncommitted when it stopped (at most
     * {@link #MAX_UNCOMMITTED} per room and server), for up to a hundred servers.
     */
    static final long RESTART_SKIP = 100_000;

    private final ClusterService cluster;
    /** Fans a batch of the log out with one write per member. */
    private final Sessions sessions;
    private final String node;
    private final Duration appendTimeout;
    private final int logCapacity;
    private final SharedMap names;
    private final SharedMap topics;
    /** Map {@code parley.chat.msgid-offset}: log name to the offset of its numbers. */
    private final SharedMap offsets;
    /** Where the rooms' messages are kept: shared by every server of the cluster. */
    private final MessageStore store;
    /** The numbering of the rooms open here, by key. */
    private final Map<String, Numbering> numberings = new ConcurrentHashMap<>();
    /** Channel {@code parley.chat.kicks}: KICKs for whichever server holds the member. */
    private final Channel kicks;
    /** Channel {@code parley.chat.moderation}: keys of rooms whose roles, settings or bans changed in the store. */
    private final Channel moderation;
    private final List<Subscription> moderationListening = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Subscription kicking;
    private final Map<Room, List<Subscription>> listening = new ConcurrentHashMap<>();
    private final AtomicLong joins = new AtomicLong();
    /** Builds a stand-in for another server's session: node, session id, nick. */
    private volatile RemoteSessions remoteSessions;

    /** Set once this server hands its sessions over. */
    private volatile boolean handingOver;

    interface RemoteSessions {
        Session of(String node, long sessionId, String nick);
    }

    ClusterRooms(ClusterService cluster, Sessions sessions, MessageStore store, int historySize,
                 Duration appendTimeout) {
        this.cluster = cluster;
        this.store = store;
        this.sessions = sessions;
        this.node = cluster.nodeId();
        this.appendTimeout = appendTimeout;
        this.logCapacity = historySize + LOG_HEADROOM;
        this.names = cluster.map("parley.chat.rooms");
        this.topics = cluster.map("parley.chat.topics");
        this.offsets = cluster.map("parley.chat.msgid-offset");
        this.kicks = cluster.channel("parley.chat.kicks");
        this.moderation = cluster.channel("parley.chat.moderation");
    }

    void start(RemoteSessions remoteSessions, RoomRegistry localRooms) {
        this.remoteSessions = remoteSessions;
        this.kicking = kicks.subscribe(message -> {
            String[] f = Wire.fields(message, 4);
            localRooms.find(f[0]).ifPresent(room -> room.members().stream()
                    .filter(m -> m.nick().key().equals(f[1])).findFirst()
                    .ifPresent(member -> room.kick(member, f[2], f[3])));
        });
    }

    /**
     * This server hands its sessions over: it stops delivering the rooms' logs to them, and their leaving here
     * changes nothing in the cluster (no LEFT; the server taking each over moves its memberships).
     */
    void handingOver() {
        handingOver = true;
        stop();
    }

    void stop() {
        if (kicking != null) {
            kicking.close();
        }
        moderationListening.forEach(Subscription::close);
        moderationListening.clear();
        listening.values().forEach(subs -> subs.forEach(Subscription::close));
        listening.clear();
    }

    @Override
    public void kickElsewhere(String roomKey, Name nick, String by, String reason) {
        kicks.publish(Wire.join(roomKey, nick.key(), by, reason));
    }

    @Override
    public Name shownAs(Name name) {
        // Asked before the room opens here, outside its lock: a store that cannot answer refuses the JOIN.
        numbering(name.key());
        return names.get(name.key()).map(display -> new Name(display, name.key())).orElse(name);
    }

    @Override
    public void opened(Room room) {
        String key = room.name().key();
        names.putIfAbsent(key, room.name().display());
        numbering(key);
        if (room.topic() != null && topics.get(key).isEmpty()) {
            // The room's kept topic (from the store) when the cluster has none: after a restart of every node.
            topics.putIfAbsent(key, room.topic());
        }
        SharedLog events = log(key);
        Subscription reading = events.subscribeBatches(events.lastSequence() + 1, batch -> sessions.sendTogether(() -> {
            for (SharedLog.Entry entry : batch) {
                try {
                    Delivery d = delivery(room, entry);
                    long cause = d.origin().equals(node) ? d.causedBy() : -1;
                    // The sender, if it is here, is slowed for this room's readers here (flow control).
                    sessions.sendTogether(cause, () -> room.deliver(d.event(), cause, entry.sequence()));
                } catch (RuntimeException e) {
                    log.error("{}: cannot deliver log entry {}", room, entry.sequence(), e);
                }
            }
        }));
        listening.put(room, List.of(reading));
    }

    @Override
    public void closed(Room room) {
        numberings.remove(room.name().key());
        List<Subscription> subs = listening.remove(room);
        if (subs != null) {
            subs.forEach(Subscription::close);
        }
    }

    @Override
    public void joined(Room room, Member member) {
        String key = room.name().key();
        String stamp = String.format("%015d%06d", System.currentTimeMillis(), joins.incrementAndGet() % 1_000_000);
        members(key).put(memberId(member.session()), Wire.join(stamp, member.nick().display()));
        names.putIfAbsent(key, room.name().display());
        publish(key, member.session().id(),
                Frame.of("JOINED").params(room.name().display(), member.nick().display()).build());
    }

    @Override
    public void left(Room room, Member member, String reason) {
        if (handingOver) {
            return;
        }
        String key = room.name().key();
        SharedMap members = members(key);
        String id = memberId(member.session());
        members.get(id).ifPresent(value -> members.remove(id, value));
        publish(key, member.session().id(), leftEvent(room.name().display(), member.nick().display(), reason));
        forgetIfEmpty(key);
    }

    @Override
    public void kicked(Room room, Member member, Frame event) {
        if (handingOver) {
            return;
        }
        String key = room.name().key();
        SharedMap members = members(key);
        String id = memberId(member.session());
        members.get(id).ifPresent(value -> members.remove(id, value));
        publish(key, member.session().id(), event);
        forgetIfEmpty(key);
    }

    @Override
    public void topic(Room room, Member by, String text) {
        String key = room.name().key();
        String shown = text == null ? "" : text;
        topics.put(key, shown);
        publish(key, by.session().id(),
                Frame.of("TOPIC").params(room.name().display(), by.nick().display()).trailing(shown).build());
    }

    /**
     * Appends the message to the room's log, which numbers it, then commits it to the store under its msgid;
     * the stage completes (and the sender is answered) once the store committed it.
     */
    @Override
    public CompletionStage<Void> say(Room room, Member from, String text) {
        String time = room.timeNow();
        String key = room.name().key();
        Numbering numbering = numbering(key);
        if (!numbering.admit()) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the store has not yet committed "
                    + MAX_UNCOMMITTED + " messages of " + room + " (or failed the last)"));
        }
        String nick = from.nick().display();
        CompletableFuture<Long> numbered;
        try {
            numbered = log(key).appendNumberedAsync(Wire.join(node, from.session().id(), nick, time, text))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            numbering.notNumbered();
            throw e;
        }
        return numbered.handle((number, failure) -> {
            if (failure != null) {
                numbering.notNumbered();
                return CompletableFuture.<Void>failedFuture(failure);
            }
            CompletableFuture<Void> kept;
            try {
                kept = store.insert(new StoredMessage(key, numbering.offset() + number, Instant.parse(time), nick,
                        room.name().display(), text)).toCompletableFuture();
            } catch (RuntimeException e) {
                kept = CompletableFuture.failedFuture(e);
            }
            return kept.whenComplete((ignored, notKept) -> numbering.settled(notKept == null));
        }).thenCompose(stage -> stage);
    }

    @Override
    public boolean numbersMessages() {
        return true;
    }

    @Override
    public void announce(String roomKey, Frame event) {
        if (members(roomKey).size() > 0) {
            publishFrom(NOBODY, -1, roomKey, event);
        }
    }

    @Override
    public void moderationChanged(String roomKey) {
        moderation.publish(roomKey);
    }

    @Override
    public void onModerationChanged(java.util.function.Consumer<String> listener) {
        moderationListening.add(moderation.subscribe(listener));
    }

    @Override
    public Optional<View> find(String key) {
        Optional<String> display = names.get(key);
        if (display.isEmpty()) {
            return Optional.empty();
        }
        // Values start with the join stamp, so sorting them sorts by join order.
        List<String> nicks = members(key).snapshot().values().stream().sorted()
                .map(v -> Wire.fields(v, 2)[1]).toList();
        if (nicks.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new View(display.get(), nicks, topics.get(key).filter(t -> !t.isEmpty()).orElse(null)));
    }

    @Override
    public List<View> all() {
        List<View> all = new ArrayList<>();
        names.snapshot().keySet().stream().sorted().forEach(key -> find(key).ifPresent(all::add));
        return all;
    }

    /** A log entry as members receive it, and which session of which server caused it. */
    private record Delivery(Frame event, String origin, long causedBy) {
    }

    private Delivery delivery(Room room, SharedLog.Entry entry) {
        if (entry.number() > 0) {
            String[] f = Wire.fields(entry.value(), 5);
            long msgid = numbering(room.name().key()).offset() + entry.number();
            return new Delivery(room.message(msgid, f[3], f[2], f[4]), f[0], Long.parseLong(f[1]));
        }
        String[] f = Wire.fields(entry.value(), 3);
        return new Delivery(Wire.parse(f[2]), f[0], Long.parseLong(f[1]));
    }

    /** The keys of the rooms where the cluster lists that session of that server as a member. */
    List<String> roomsOf(String owner, long sessionId) {
        String id = owner + "/" + sessionId;
        List<String> keys = new ArrayList<>();
        for (String key : names.snapshot().keySet()) {
            if (members(key).get(id).isPresent()) {
                keys.add(key);
            }
        }
        keys.sort(null);
        return keys;
    }

    /** The room's name as shown, if it exists in the cluster. */
    Optional<Name> name(String roomKey) {
        return names.get(roomKey).map(display -> new Name(display, roomKey));
    }

    /**
     * Re-keys a membership from a session of a departed server to {@code into} of this one, keeping its place
     * in the join order; nobody is told. False when the departed server's sweep took it out first.
     */
    boolean moveMember(String roomKey, String owner, long sessionId, Session into) {
        SharedMap members = members(roomKey);
        String old = owner + "/" + sessionId;
        Optional<String> value = members.get(old);
        return value.isPresent() && members.remove(old, value.get())
                && members.putIfAbsent(memberId(into), value.get()).isEmpty();
    }

    /**
     * What a session of a departed server missed in a room, for {@link Room#adopt}: the log's entries after
     * {@code after} (or, when -2, after the session's own JOINED) that the old session did not cause, sent to
     * {@code to} in log order.
     *
     * @return empty when the log no longer holds every entry after {@code after}
     */
    Optional<Room.Backlog> backlog(String roomKey, long after, String owner, long sessionId, Session to) {
        SharedLog events = log(roomKey);
        List<SharedLog.Entry> kept = events.tail(logCapacity);
        if (after != UNKNOWN && !kept.isEmpty() && kept.get(0).sequence() > after + 1) {
            return Optional.empty();
        }
        // Nothing before the session's own (latest) JOINED was ever meant for it.
        long start = after != UNKNOWN ? after : kept.isEmpty() ? -1 : kept.get(0).sequence() - 1;
        for (SharedLog.Entry entry : kept) {
            if (entry.number() == 0 && entry.sequence() > start && ownJoin(entry, owner, sessionId)) {
                start = entry.sequence();
            }
        }
        long from = start;
        return Optional.of(room -> {
            long through = from;
            int sent = 0;
            // Read again under the room's lock: entries appended since the look above count too.
            for (SharedLog.Entry entry : events.tail(logCapacity)) {
                if (entry.sequence() <= from) {
                    continue;
                }
                Delivery d = delivery(room, entry);
                if (!(d.origin().equals(owner) && d.causedBy() == sessionId)) {
                    to.send(d.event());
                    sent++;
                }
                through = entry.sequence();
            }
            log.info("{}: sent {} entries after {} (through {}) to {}, taken over from node {}", room, sent, from,
                    through, to, owner);
            return through;
        });
    }

    /** {@link #backlog}'s {@code after} when the session's place in the room's log is unknown. */
    static final long UNKNOWN = -2;

    private static boolean ownJoin(SharedLog.Entry entry, String owner, long sessionId) {
        String[] f = Wire.fields(entry.value(), 3);
        return f[0].equals(owner) && f[1].equals(Long.toString(sessionId)) && f[2].startsWith("JOINED ");
    }

    /** Records a member's new nick in a room it is in, keeping its place in the join order. */
    void renamed(String roomKey, Session session, Name now) {
        SharedMap members = members(roomKey);
        members.get(memberId(session)).ifPresent(value ->
                members.put(memberId(session), Wire.join(Wire.fields(value, 2)[0], now.display())));
    }

    @Override
    public List<Session> remoteMembers(String roomKey) {
        return eachMember(roomKey, (id, nick) -> id.startsWith(node + "/") ? null : remoteSession(id, nick));
    }

    /** Removes one session of a departed server from every room, with LEFT, as {@link #sweep} would. */
    void removeDeparted(String owner, long sessionId) {
        String id = owner + "/" + sessionId;
        for (Map.Entry<String, String> room : names.snapshot().entrySet()) {
            SharedMap members = members(room.getKey());
            members.get(id).ifPresent(value -> {
                if (members.remove(id, value)) {
                    publishFrom(NOBODY, -1, room.getKey(),
                            leftEvent(room.getValue(), Wire.fields(value, 2)[1], "connection lost"));
                }
            });
            forgetIfEmpty(room.getKey());
        }
    }

    /** Removes a departed server's members from every room; the remover of each member sends its LEFT. */
    void sweep(String departed) {
        for (Map.Entry<String, String> room : names.snapshot().entrySet()) {
            SharedMap members = members(room.getKey());
            members.snapshot().forEach((id, value) -> {
                if (id.startsWith(departed + "/") && members.remove(id, value)) {
                    publishFrom(NOBODY, -1, room.getKey(),
                            leftEvent(room.getValue(), Wire.fields(value, 2)[1], "connection lost"));
                }
            });
            forgetIfEmpty(room.getKey());
        }
    }

    private <T> List<T> eachMember(String roomKey, BiFunction<String, String, T> f) {
        List<T> out = new ArrayList<>();
        members(roomKey).snapshot().forEach((id, value) -> {
            T t = f.apply(id, Wire.fields(value, 2)[1]);
            if (t != null) {
                out.add(t);
            }
        });
        return out;
    }

    private Session remoteSession(String memberId, String nick) {
        int slash = memberId.lastIndexOf('/');
        return remoteSessions.of(memberId.substring(0, slash), Long.parseLong(memberId.substring(slash + 1)), nick);
    }

    private void forgetIfEmpty(String key) {
        if (members(key).size() > 0) {
            return;
        }
        names.get(key).ifPresent(display -> {
            names.remove(key, display);
            topics.get(key).ifPresent(t -> topics.remove(key, t));
            if (members(key).size() > 0) {
                names.putIfAbsent(key, display); // someone joined meanwhile
            }
        });
    }

    private static Frame leftEvent(String room, String nick, String reason) {
        Frame.Builder left = Frame.of("LEFT").params(room, nick);
        if (reason != null) {
            left.trailing(reason);
        }
        return left.build();
    }

    /** Appends a room event caused by a session of this server, which does not receive it. */
    private void publish(String roomKey, long causedBy, Frame event) {
        publishFrom(node, causedBy, roomKey, event);
    }

    private void publishFrom(String origin, long causedBy, String roomKey, Frame event) {
        log(roomKey).append(Wire.join(origin, causedBy, Wire.line(event)), appendTimeout);
    }

    private SharedLog log(String roomKey) {
        return cluster.log(logName(roomKey), logCapacity);
    }

    private static String logName(String roomKey) {
        return "parley.chat.log." + roomKey;
    }

    /** The numbering of a room: asked of the cluster (and the store) when the room opens here. */
    private Numbering numbering(String roomKey) {
        return numberings.computeIfAbsent(roomKey, key -> new Numbering(offset(key)));
    }

    /**
     * The offset of the room's log numbers: the one the cluster chose, or, for a log used for the first time
     * since the cluster started, one above every msgid the store kept for the room (and {@link #RESTART_SKIP}
     * above, past what was in the logs uncommitted when the cluster stopped). The first server to record it
     * wins; every server uses that one.
     */
    private long offset(String roomKey) {
        String name = logName(roomKey);
        Optional<String> chosen = offsets.get(name);
        if (chosen.isEmpty()) {
            long last = store.lastMsgId(roomKey).orElse(0);
            long candidate = last == 0 ? 0 : last + RESTART_SKIP;
            chosen = Optional.of(offsets.putIfAbsent(name, Long.toString(candidate)).orElse(Long.toString(candidate)));
        }
        return Long.parseLong(chosen.get());
    }

    /**
     * A room's msgids on this server: the offset of its log's numbers, and how many of its messages this server
     * has appended and not yet had committed by the store. While the store fails, one message at a time is let
     * through (to find out when it is back), so that members see few messages their senders were refused.
     */
    private static final class Numbering {
        private final long offset;
        private int uncommitted; // guarded by this
        private boolean failing; // guarded by this

        Numbering(long offset) {
            this.offset = offset;
        }

        long offset() {
            return offset;
        }

        synchronized boolean admit() {
            if (uncommitted >= (failing ? 1 : MAX_UNCOMMITTED)) {
                return false;
            }
            uncommitted++;
            return true;
        }

        /** The log did not take the message: nobody saw it. */
        synchronized void notNumbered() {
            uncommitted--;
        }

        /** The store committed the message, or failed to. */
        synchronized void settled(boolean committed) {
            uncommitted--;
            failing = !committed;
        }
    }

    private SharedMap members(String roomKey) {
        return cluster.map("parley.chat.members." + roomKey);
    }

    private String memberId(Session session) {
        return node + "/" + session.id();
    }
}
