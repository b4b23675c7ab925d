package dev.parley.chat.cluster;

import dev.parley.chat.name.Name;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.chat.room.RoomReplication;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.core.spi.cluster.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *   <li>log {@code parley.chat.log.<room>}: the room's messages (numbered: the number is the msgid) and its
 *       JOINED, LEFT, TOPIC and KICKED events (unnumbered), in the one order every server delivers them; its
 *       tail is the history.</li>
 * </ul>
 * A server reads a room's log only while the room has members on it. Every server, the one where an event
 * happened included, delivers the log in its order, so every member sees the room's messages and events in the
 * same order, as on a single server.
 */
final class ClusterRooms implements RoomReplication {
    private static final Logger log = LoggerFactory.getLogger(ClusterRooms.class);
    /** A LEFT sent on behalf of a departed server: every server delivers it. */
    private static final String NOBODY = "-";
    /**
     * Entries the log keeps beyond the history: room events share it, and a reader may lag (past half of the
     * capacity it holds the writers back, see the cluster module).
     */
    private static final int LOG_HEADROOM = 4000;

    private final ClusterService cluster;
    /** Fans a batch of the log out with one write per member. */
    private final Sessions sessions;
    private final String node;
    private final Duration appendTimeout;
    private final int logCapacity;
    private final SharedMap names;
    private final SharedMap topics;
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

    ClusterRooms(ClusterService cluster, Sessions sessions, int historySize, Duration appendTimeout) {
        this.cluster = cluster;
        this.sessions = sessions;
        this.node = cluster.nodeId();
        this.appendTimeout = appendTimeout;
        this.logCapacity = historySize + LOG_HEADROOM;
        this.names = cluster.map("parley.chat.rooms");
        this.topics = cluster.map("parley.chat.topics");
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
        return names.get(name.key()).map(display -> new Name(display, name.key())).orElse(name);
    }

    @Override
    public void opened(Room room) {
        String key = room.name().key();
        names.putIfAbsent(key, room.name().display());
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

    @Override
    public CompletionStage<Void> say(Room room, Member from, String text, String time) {
        return log(room.name().key())
                .appendNumberedAsync(Wire.join(node, from.session().id(), from.nick().display(), time, text))
                .thenApply(number -> null);
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
    public List<Frame> history(Room room, int n) {
        // Events share the log, so reading the last n entries may find fewer than n messages: read more.
        SharedLog events = log(room.name().key());
        for (int read = n; ; read = (int) Math.min((long) read * 2, logCapacity)) {
            List<SharedLog.Entry> entries = events.tail(read);
            List<Frame> out = new ArrayList<>();
            for (SharedLog.Entry entry : entries) {
                if (entry.number() > 0) {
                    String[] f = Wire.fields(entry.value(), 5);
                    out.add(room.message(entry.number(), f[3], f[2], f[4]));
                }
            }
            if (out.size() >= n || entries.size() < read || read >= logCapacity) {
                return out.subList(Math.max(0, out.size() - n), out.size());
            }
        }
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

    private static Delivery delivery(Room room, SharedLog.Entry entry) {
        if (entry.number() > 0) {
            String[] f = Wire.fields(entry.value(), 5);
            return new Delivery(room.message(entry.number(), f[3], f[2], f[4]), f[0], Long.parseLong(f[1]));
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

    /** The room's members on other servers, as stand-ins (for the Directory: file offers to a room). */
    List<Session> remoteMembers(String roomKey) {
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
        return cluster.log("parley.chat.log." + roomKey, logCapacity);
    }

    private SharedMap members(String roomKey) {
        return cluster.map("parley.chat.members." + roomKey);
    }

    private String memberId(Session session) {
        return node + "/" + session.id();
    }
}
