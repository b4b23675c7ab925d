package dev.parley.chat.cluster;

import dev.parley.chat.name.Name;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.chat.room.RoomLedger;
import dev.parley.core.log.RepeatedWarning;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.core.spi.cluster.Subscription;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.Ref;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * said a message commits it there (group-committed with its other writes) before the sender's {@code OK}, and
 * then appends a marker to the log ({@code +kept} or {@code +refused}); members see a message only once its
 * marker says it was kept (see {@link CommitGate}).
 *
 * <p>A numbered entry carries the offset its server used, so every server gives it the same msgid. Hazelcast
 * keeps the log in memory only: a split of the cluster can leave it without its entries, numbering from 1
 * again. The server that appends sees that (its number is not above what it saw before) or the store refuses
 * the msgid as kept already; either way the message is refused, never shown, and the room's numbering moves
 * {@link #RESTART_SKIP} above the store's highest msgid.
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
     * Messages of one room this server may have in the log and not yet settled by the store: what the other
     * servers' gates may have to hold, and to settle from the store, should this server die.
     */
    static final int MAX_UNCOMMITTED = 1000;
    /**
     * How far above the store's highest msgid a room's numbering starts again when its log is created anew:
     * above every message the cluster had in its logs uncommitted when it stopped (at most
     * {@link #MAX_UNCOMMITTED} per room and server), for up to a hundred servers.
     */
    static final long RESTART_SKIP = 100_000;

    /** The marker of messages the store committed: {@code +kept <msgid> <msgid> ...}, after origin and -1. */
    private static final String KEPT = "+kept ";
    /** The marker of messages the store refused (or that nobody will commit). */
    private static final String REFUSED = "+refused ";
    /** Msgids in one marker at most. */
    private static final int MARKER_MAX = 500;
    /** How often the check looks for messages waiting for their marker. */
    private static final long CHECK_PERIOD_MILLIS = 500;
    /** A message of a live server waits this long for its marker before the check refuses it for that server. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * How long a backlog waits for the markers of live servers' messages before it asks the store: the client
     * waits for its RESUME's answer (the client library 6 s, for every room of the session).
     */
    private static final long BACKLOG_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * While this node is cut off from the majority, the refused marker cannot be appended and the check tries
     * again every {@value #CHECK_PERIOD_MILLIS} ms: one WARN line per 10 s says so.
     */
    private final RepeatedWarning refusals = new RepeatedWarning(Duration.ofSeconds(10));
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
    /** The gates of the rooms open here, by key. */
    private final Map<String, CommitGate> gates = new ConcurrentHashMap<>();
    /** Settles messages that waited long for their marker (asks the store); also renumbers rooms. */
    private final ScheduledExecutorService checking;
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
        this.checking = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-chat-commit-check");
            t.setDaemon(true);
            return t;
        });
    }

    void start(RemoteSessions remoteSessions, RoomRegistry localRooms) {
        this.remoteSessions = remoteSessions;
        checking.scheduleWithFixedDelay(this::checkWaiting, CHECK_PERIOD_MILLIS, CHECK_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
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
        gates.clear();
        checking.shutdownNow();
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
        long start = events.lastSequence() + 1;
        CommitGate gate = new CommitGate(start);
        gates.put(key, gate);
        numbering(key).saw(start);
        Subscription reading = events.subscribeBatches(start, batch -> {
            List<CommitGate.Entry> ready = gate.take(reads(key, batch), System.nanoTime());
            if (ready.isEmpty()) {
                return;
            }
            sessions.sendTogether(() -> {
                for (CommitGate.Entry passed : ready) {
                    SharedLog.Entry entry = passed.entry();
                    try {
                        Delivery d = delivery(room, entry);
                        long cause = d.origin().equals(node) ? d.causedBy() : -1;
                        // The sender, if it is here, is slowed for this room's readers here (flow control).
                        sessions.sendTogether(cause, () -> room.deliver(d.event(), cause, entry.sequence()));
                    } catch (RuntimeException e) {
                        log.error("{}: cannot deliver log entry {}", room, entry.sequence(), e);
                    }
                }
            });
        });
        listening.put(room, List.of(reading));
    }

    @Override
    public void closed(Room room) {
        numberings.remove(room.name().key());
        gates.remove(room.name().key());
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
     * Appends the message to the room's log, which numbers it, then commits it to the store under its msgid and
     * marks it kept in the log (or refused); the stage completes (and the sender is answered) once the store
     * committed it. Members see it once the marker reaches their server.
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
        long offset = numbering.offset();
        // Every number the log gives from now on lies above this one, unless the log lost its entries.
        long seen = numbering.highest();
        CompletableFuture<Long> numbered;
        try {
            numbered = log(key).appendNumberedAsync(
                    new RoomLogEntry.Message(node, from.session().id(), nick, time, offset, text).wire(),
                    late -> numbering.mark(offset + late, false)).toCompletableFuture();
        } catch (RuntimeException e) {
            numbering.notNumbered();
            throw e;
        }
        return numbered.handle((number, failure) -> {
            if (failure != null) {
                numbering.notNumbered();
                return CompletableFuture.<Void>failedFuture(failure);
            }
            long msgid = offset + number;
            if (number <= seen) {
                numbering.settle(msgid, false);
                renumber(key, offset);
                return CompletableFuture.<Void>failedFuture(new ClusterException("the cluster lost the log of "
                        + room + " (its numbering went back from " + seen + " to " + number
                        + "); the room is numbered anew: say it again", null));
            }
            numbering.saw(number);
            CompletableFuture<Void> kept;
            try {
                StoredMessage message = new StoredMessage(key, msgid, Instant.parse(time), nick,
                        room.name().display(), text);
                try {
                    kept = store.insert(message).toCompletableFuture();
                } catch (RuntimeException e) {
                    kept = CompletableFuture.failedFuture(e);
                }
            } catch (RuntimeException e) {
                numbering.settle(msgid, false);
                return CompletableFuture.<Void>failedFuture(e);
            }
            return kept.handle((ignored, notKept) -> {
                CompletableFuture<Void> marked = numbering.settle(msgid, notKept == null);
                if (notKept == null) {
                    if (store.sharedByServers()) {
                        // Should this server die before its marker is in the log, the others find the message in
                        // the store and mark it kept for it (settleWaiting): answered at once.
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    // A store of this server's own: answered once the marker is in the log too, so that an
                    // acknowledged message reaches every member even if this server dies now.
                    return marked.exceptionallyCompose(unmarked -> CompletableFuture.failedFuture(
                            new ClusterException("msgid " + msgid + " of " + room + " is committed, but the"
                                    + " cluster did not take its marker; members may not see it", unmarked)));
                }
                Throwable cause = notKept instanceof CompletionException && notKept.getCause() != null
                        ? notKept.getCause() : notKept;
                if (cause instanceof IllegalArgumentException) {
                    // The store keeps that msgid already (MessageStore.insert's contract): the log numbers from
                    // where it did before.
                    renumber(key, offset);
                    return CompletableFuture.<Void>failedFuture(new ClusterException("msgid " + msgid + " of "
                            + room + " was given before the cluster lost the room's log; the room is numbered"
                            + " anew: say it again", cause));
                }
                return CompletableFuture.<Void>failedFuture(cause);
            }).thenCompose(stage -> stage);
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
            RoomLogEntry.Message m = RoomLogEntry.Message.of(entry);
            return new Delivery(room.message(m.msgid(entry.number()), m.time(), m.nick(), m.text()), m.node(),
                    m.session());
        }
        RoomLogEntry.Unnumbered u = RoomLogEntry.Unnumbered.of(entry);
        return new Delivery(Wire.parse(u.body()), u.origin(), u.causedBy());
    }

    /** The log's entries as the gate sees them; notes the numbers read, to tell when the log starts anew. */
    private List<CommitGate.Read> reads(String roomKey, List<SharedLog.Entry> batch) {
        List<CommitGate.Read> reads = new ArrayList<>(batch.size());
        Numbering numbering = numberings.get(roomKey);
        for (SharedLog.Entry entry : batch) {
            reads.add(read(entry));
            if (entry.number() > 0 && numbering != null) {
                numbering.saw(entry.number());
            }
        }
        return reads;
    }

    private static CommitGate.Read read(SharedLog.Entry entry) {
        if (entry.number() > 0) {
            RoomLogEntry.Message m = RoomLogEntry.Message.of(entry);
            return new CommitGate.Entry(entry, m.node(), m.msgid(entry.number()));
        }
        RoomLogEntry.Unnumbered u = RoomLogEntry.Unnumbered.of(entry);
        if (u.body().startsWith(KEPT) || u.body().startsWith(REFUSED)) {
            boolean kept = u.body().startsWith(KEPT);
            String[] ids = u.body().substring((kept ? KEPT : REFUSED).length()).split(" ");
            long[] msgids = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                msgids[i] = Long.parseLong(ids[i]);
            }
            return new CommitGate.Settled(u.origin(), msgids, kept);
        }
        return new CommitGate.Entry(entry, u.origin(), 0);
    }

    /**
     * Settles, for their servers, messages that waited long for their marker: the marker's append failed, the
     * server died after (or before) its commit, or its append was given up while the cluster took it. The store
     * decides: a message it keeps (same sender and text) is kept; one it does not keep is refused once its
     * server left the cluster or waited {@link #GIVE_UP_NANOS}. The marker goes through the log, so every server
     * decides alike.
     */
    private void checkWaiting() {
        long now = System.nanoTime();
        for (Map.Entry<String, CommitGate> open : gates.entrySet()) {
            try {
                open.getValue().waiting(now).ifPresent(w -> settleWaiting(open.getKey(), w));
            } catch (RuntimeException e) {
                log.warn("checking the messages of {} that wait for the store failed: {}", open.getKey(),
                        e.toString());
            }
        }
    }

    private void settleWaiting(String roomKey, CommitGate.Waiting waiting) {
        CommitGate.Entry e = waiting.entry();
        if (keeps(roomKey, e)) {
            marker(roomKey, e.origin(), KEPT, List.of(e.msgid()));
        } else if (!cluster.nodes().contains(e.origin()) || waiting.nanos() > GIVE_UP_NANOS) {
            refusals.log(log, "such lines", "{}: msgid {} of node {} waited {} ms and the store does not keep it:"
                    + " refused", roomKey, e.msgid(), e.origin(), TimeUnit.NANOSECONDS.toMillis(waiting.nanos()));
            marker(roomKey, e.origin(), REFUSED, List.of(e.msgid()));
        }
    }

    private CompletionStage<Long> marker(String roomKey, String origin, String kind, List<Long> msgids) {
        StringBuilder b = new StringBuilder(kind);
        for (int i = 0; i < msgids.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(msgids.get(i));
        }
        return log(roomKey).appendAsync(new RoomLogEntry.Unnumbered(origin, -1, b.toString()).wire());
    }

    /**
     * The room's log lost its entries: numbers from {@code stale} on may have been given before. Moves the
     * numbering {@link #RESTART_SKIP} above the store's highest msgid, or to what another server moved it to.
     */
    private void renumber(String roomKey, long stale) {
        try {
            checking.execute(() -> renumberNow(roomKey, stale));
        } catch (RejectedExecutionException e) {
            log.debug("{}: not numbered anew: this server is stopping", roomKey);
        }
    }

    private void renumberNow(String roomKey, long stale) {
        try {
            Numbering numbering = numberings.get(roomKey);
            String name = logName(roomKey);
            Optional<String> chosen = offsets.get(name);
            long offset;
            if (chosen.isPresent() && Long.parseLong(chosen.get()) > stale) {
                offset = Long.parseLong(chosen.get());
            } else {
                long fresh = store.lastMsgId(roomKey).orElse(0) + RESTART_SKIP;
                if (chosen.isPresent() ? offsets.replace(name, chosen.get(), Long.toString(fresh))
                        : offsets.putIfAbsent(name, Long.toString(fresh)).isEmpty()) {
                    offset = fresh;
                } else {
                    offset = offsets.get(name).map(Long::parseLong).orElse(fresh);
                }
                log.warn("{}: the cluster lost the room's log; msgids go on from {}", roomKey, offset + 1);
            }
            if (numbering != null) {
                numbering.renumber(stale, offset, Math.max(0, log(roomKey).lastSequence() + 1));
            }
        } catch (RuntimeException e) {
            log.warn("{}: numbering the room anew failed; the next refused message tries again: {}", roomKey,
                    e.toString());
        }
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
        long deadline = System.nanoTime() + BACKLOG_WAIT_NANOS;
        Map<Long, Boolean> settled = settled(roomKey, events, from, deadline);
        return Optional.of(room -> {
            long through = from;
            int sent = 0;
            CommitGate gate = gates.get(roomKey);
            // Read again under the room's lock: entries appended since the look above count too.
            for (SharedLog.Entry entry : events.tail(logCapacity)) {
                if (entry.sequence() <= from) {
                    continue;
                }
                CommitGate.Read read = read(entry);
                boolean shown;
                if (gate != null && entry.sequence() >= gate.start()) {
                    if (entry.sequence() > gate.decidedThrough()) {
                        break; // the gate has not let it through yet: it reaches the member live
                    }
                    shown = read instanceof CommitGate.Entry e
                            && (e.msgid() == 0 || !gate.wasRefused(e.origin(), e.msgid()));
                } else {
                    if (read instanceof CommitGate.Entry e && e.msgid() > 0 && !settled.containsKey(e.sequence())) {
                        // Appended since the first look: look once more (the deadline has mostly passed).
                        settled.putAll(settled(roomKey, events, from, deadline));
                    }
                    shown = read instanceof CommitGate.Entry e && (e.msgid() == 0
                            || settled.computeIfAbsent(entry.sequence(), seq -> keeps(roomKey, e)));
                }
                through = entry.sequence();
                if (!shown) {
                    continue;
                }
                Delivery d = delivery(room, entry);
                if (!(d.origin().equals(owner) && d.causedBy() == sessionId)) {
                    to.send(d.event());
                    sent++;
                }
            }
            log.info("{}: sent {} entries after {} (through {}) to {}, taken over from node {}", room, sent, from,
                    through, to, owner);
            return through;
        });
    }

    /**
     * Whether each message after {@code after} in the log was kept, by sequence: as its marker says; for one of
     * a server that left the cluster without marking it, as the store says (as {@link #settleWaiting} decides).
     * Waits until {@code deadline} for the markers of live servers' messages (their commits are on their way);
     * those still unmarked then are left out.
     */
    private Map<Long, Boolean> settled(String roomKey, SharedLog events, long after, long deadline) {
        Map<Long, Boolean> settled = new HashMap<>();
        while (true) {
            Map<String, CommitGate.Entry> waiting = new HashMap<>();
            for (SharedLog.Entry entry : events.tail(logCapacity)) {
                if (entry.sequence() <= after) {
                    continue;
                }
                CommitGate.Read read = read(entry);
                if (read instanceof CommitGate.Entry e && e.msgid() > 0 && !settled.containsKey(entry.sequence())) {
                    waiting.put(e.origin() + "/" + e.msgid(), e);
                } else if (read instanceof CommitGate.Settled m) {
                    for (long msgid : m.msgids()) {
                        CommitGate.Entry e = waiting.remove(m.origin() + "/" + msgid);
                        if (e != null) {
                            settled.put(e.sequence(), m.kept());
                        }
                    }
                }
            }
            Set<String> live = cluster.nodes();
            for (CommitGate.Entry e : List.copyOf(waiting.values())) {
                if (!live.contains(e.origin())) {
                    settled.put(e.sequence(), keeps(roomKey, e));
                    waiting.remove(e.origin() + "/" + e.msgid());
                }
            }
            if (waiting.isEmpty() || System.nanoTime() > deadline) {
                return settled;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return settled;
            }
        }
    }

    /** Whether the store keeps that message of the log (same msgid, sender and text). */
    private boolean keeps(String roomKey, CommitGate.Entry e) {
        RoomLogEntry.Message said = RoomLogEntry.Message.of(e.entry());
        // AROUND with a page of 1 is the message at the msgid, or the next one (BETWEEN excludes both ends).
        List<StoredMessage> kept = store.page(roomKey, Page.around(new Ref.MsgId(e.msgid()), 1));
        return !kept.isEmpty() && kept.get(0).msgid() == e.msgid()
                && kept.get(0).sender().equals(said.nick()) && kept.get(0).text().equals(said.text());
    }

    /** {@link #backlog}'s {@code after} when the session's place in the room's log is unknown. */
    static final long UNKNOWN = -2;

    private static boolean ownJoin(SharedLog.Entry entry, String owner, long sessionId) {
        RoomLogEntry.Unnumbered u = RoomLogEntry.Unnumbered.of(entry);
        return u.origin().equals(owner) && u.causedBy() == sessionId && u.body().startsWith("JOINED ");
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
        log(roomKey).append(new RoomLogEntry.Unnumbered(origin, causedBy, Wire.line(event)).wire(), appendTimeout);
    }

    private SharedLog log(String roomKey) {
        return cluster.log(logName(roomKey), logCapacity);
    }

    private static String logName(String roomKey) {
        return "parley.chat.log." + roomKey;
    }

    /** The numbering of a room: asked of the cluster (and the store) when the room opens here. */
    private Numbering numbering(String roomKey) {
        return numberings.computeIfAbsent(roomKey, key -> new Numbering(key, offset(key)));
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
     * A room's msgids on this server: the offset of its log's numbers, the highest number seen in the log, how
     * many of its messages this server has appended and not yet had committed by the store, and the markers of
     * settled messages on their way to the log (one append at a time, with whatever settled meanwhile). While the
     * store fails, one message at a time is let through (to find out when it is back).
     */
    private final class Numbering {
        private final String roomKey;
        private volatile long offset;
        private long highest; // guarded by this
        private int uncommitted; // guarded by this
        private boolean failing; // guarded by this
        private final List<Mark> kept = new ArrayList<>(); // guarded by this
        private final List<Mark> refused = new ArrayList<>(); // guarded by this
        private boolean marking; // guarded by this: a marker is on its way

        Numbering(String roomKey, long offset) {
            this.roomKey = roomKey;
            this.offset = offset;
        }

        long offset() {
            return offset;
        }

        synchronized long highest() {
            return highest;
        }

        /** A number of the log, read or given to an append of this server. */
        synchronized void saw(long number) {
            highest = Math.max(highest, number);
        }

        /** The log starts anew at {@code number}, its msgids at {@code fresh} + 1 (unless renumbered already). */
        synchronized void renumber(long stale, long fresh, long number) {
            if (offset == stale && fresh > stale) {
                offset = fresh;
                highest = number;
            }
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

        /**
         * The store committed the numbered message, or it was refused; the log is told.
         *
         * @return completes once the marker is in the log, or exceptionally if it could not be appended
         */
        CompletableFuture<Void> settle(long msgid, boolean committed) {
            synchronized (this) {
                uncommitted--;
                failing = !committed;
            }
            return mark(msgid, committed);
        }

        /** Appends the marker of a settled message, together with others that settle meanwhile. */
        CompletableFuture<Void> mark(long msgid, boolean committed) {
            Mark mark = new Mark(msgid, new CompletableFuture<>());
            synchronized (this) {
                (committed ? kept : refused).add(mark);
                if (marking) {
                    return mark.appended();
                }
                marking = true;
            }
            sendMarks();
            return mark.appended();
        }

        private void sendMarks() {
            List<Mark> keptNow;
            List<Mark> refusedNow;
            synchronized (this) {
                keptNow = take(kept);
                refusedNow = take(refused);
                if (keptNow.isEmpty() && refusedNow.isEmpty()) {
                    marking = false;
                    return;
                }
            }
            CompletionStage<Long> sent;
            try {
                CompletionStage<Long> refusing = refusedNow.isEmpty() ? CompletableFuture.completedFuture(0L)
                        : marker(roomKey, node, REFUSED, msgids(refusedNow));
                sent = keptNow.isEmpty() ? refusing
                        : refusing.thenCompose(x -> marker(roomKey, node, KEPT, msgids(keptNow)));
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((x, failure) -> {
                if (failure != null) {
                    // The check settles them from the store when they have waited a while.
                    log.warn("{}: appending the markers of {} messages failed: {}", roomKey,
                            keptNow.size() + refusedNow.size(), failure.toString());
                }
                for (List<Mark> marks : List.of(refusedNow, keptNow)) {
                    for (Mark m : marks) {
                        if (failure == null) {
                            m.appended().complete(null);
                        } else {
                            m.appended().completeExceptionally(failure);
                        }
                    }
                }
                sendMarks();
            });
        }

        private List<Mark> take(List<Mark> from) {
            if (from.isEmpty()) {
                return List.of();
            }
            int n = Math.min(MARKER_MAX, from.size());
            List<Mark> out = new ArrayList<>(from.subList(0, n));
            from.subList(0, n).clear();
            return out;
        }

        private List<Long> msgids(List<Mark> marks) {
            List<Long> out = new ArrayList<>(marks.size());
            marks.forEach(m -> out.add(m.msgid()));
            return out;
        }
    }

    /** A settled message whose marker is on its way to the log. */
    private record Mark(long msgid, CompletableFuture<Void> appended) {
    }

    private SharedMap members(String roomKey) {
        return cluster.map("parley.chat.members." + roomKey);
    }

    private String memberId(Session session) {
        return node + "/" + session.id();
    }
}
