package dev.parley.chat.cluster;

import dev.parley.chat.name.Name;
import dev.parley.chat.nick.NickLedger;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.chat.room.RoomReplication;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.NodeListener;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.core.spi.cluster.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat across a cluster, on core's cluster primitives (never on a cluster library). What is shared:
 * <ul>
 *   <li>{@code parley.chat.nicks}: nick key to {@code node, session, nick}; claimed with putIfAbsent;</li>
 *   <li>{@code parley.chat.rooms}: room key to its name; {@code parley.chat.topics}: room key to topic;</li>
 *   <li>{@code parley.chat.members.<room>}: {@code node/session} to {@code join-stamp, nick}, for WHO;</li>
 *   <li>log {@code parley.chat.log.<room>}: the room's messages; its sequence + 1 is the msgid and its tail the
 *       history; every server with members in the room reads it and fans out to its own members;</li>
 *   <li>channel {@code parley.chat.room.<room>}: JOINED, LEFT and TOPIC from one server to the others;</li>
 *   <li>channel {@code parley.chat.node.<node>}: whispers to that server's sessions;</li>
 *   <li>channel {@code parley.chat.renames}: RENAMED with the renamer's rooms, delivered once per session.</li>
 * </ul>
 * When a server leaves the cluster, the others wait for the resume grace, then remove its nicks and room
 * members; whichever removes a member first tells the room {@code LEFT}.
 */
public final class ClusterChat implements RoomReplication, NickLedger, NodeListener {
    private static final Logger log = LoggerFactory.getLogger(ClusterChat.class);
    private static final String NOBODY = "-";
    /** Messages the log keeps beyond the history, so a reader that lags a little loses nothing. */
    private static final int LOG_HEADROOM = 1000;

    private final ClusterService cluster;
    private final Sessions sessions;
    private final ScheduledExecutorService scheduler;
    private final Duration appendTimeout;
    private final Duration grace;
    private final int logCapacity;
    private final String node;
    private final SharedMap nickOwners;
    private final SharedMap roomNames;
    private final SharedMap topics;
    private final Channel renames;
    private final Map<Room, List<Subscription>> listening = new ConcurrentHashMap<>();
    private final List<Subscription> always = new ArrayList<>();
    private final AtomicLong joinCounter = new AtomicLong();
    private final Map<String, Long> remoteIds = new ConcurrentHashMap<>();
    private final AtomicLong nextRemoteId = new AtomicLong();
    private volatile NickRegistry nicks;
    private volatile RoomRegistry rooms;

    /**
     * @param historySize   messages HISTORY may return
     * @param appendTimeout how long SAY waits for the cluster to accept a message
     * @param grace         how long a departed server's sessions keep their nicks and rooms (the resume grace)
     */
    public ClusterChat(ClusterService cluster, Sessions sessions, ScheduledExecutorService scheduler,
                       int historySize, Duration appendTimeout, Duration grace) {
        this.cluster = cluster;
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.appendTimeout = appendTimeout;
        this.grace = grace;
        this.logCapacity = historySize + LOG_HEADROOM;
        this.node = cluster.nodeId();
        this.nickOwners = cluster.map("parley.chat.nicks");
        this.roomNames = cluster.map("parley.chat.rooms");
        this.topics = cluster.map("parley.chat.topics");
        this.renames = cluster.channel("parley.chat.renames");
    }

    /** Starts receiving whispers and renames; call once the registries exist. */
    public void start(NickRegistry nicks, RoomRegistry rooms) {
        this.nicks = nicks;
        this.rooms = rooms;
        always.add(cluster.channel(nodeChannel(node)).subscribe(this::whispered));
        always.add(renames.subscribe(this::renamedElsewhere));
        cluster.addNodeListener(this);
    }

    /** Stops listening; the cluster itself is closed by whoever started it. */
    public void stop() {
        always.forEach(Subscription::close);
        listening.values().forEach(subs -> subs.forEach(Subscription::close));
        listening.clear();
    }

    // ---- nicks ----

    @Override
    public boolean claim(Session session, Name nick) {
        String owner = owner(session, nick.display());
        Optional<String> held = nickOwners.putIfAbsent(nick.key(), owner);
        if (held.isEmpty()) {
            return true;
        }
        String[] f = held.get().split("\n", 3);
        if (f[0].equals(node) && f[1].equals(Long.toString(session.id()))) {
            nickOwners.put(nick.key(), owner); // our own claim, e.g. a change of case
            return true;
        }
        return false;
    }

    @Override
    public void release(Session session, Name nick) {
        nickOwners.get(nick.key()).ifPresent(value -> {
            String[] f = value.split("\n", 3);
            if (f[0].equals(node) && f[1].equals(Long.toString(session.id()))) {
                nickOwners.remove(nick.key(), value);
            }
        });
    }

    @Override
    public void renamed(Member member, Name old, Name now) {
        List<String> keys = new ArrayList<>();
        for (Room room : member.rooms()) {
            keys.add(room.name().key());
            members(room.name().key()).get(memberId(member.session())).ifPresent(value -> {
                String stamp = value.split("\n", 2)[0];
                members(room.name().key()).put(memberId(member.session()), stamp + "\n" + now.display());
            });
        }
        if (!keys.isEmpty()) {
            Frame event = Frame.of("RENAMED").params(old.display(), now.display()).build();
            renames.publish(node + "\n" + member.session().id() + "\n" + String.join(",", keys) + "\n" + line(event));
        }
    }

    @Override
    public boolean whisper(Name to, Name from, String text) {
        Optional<String> held = nickOwners.get(to.key());
        if (held.isEmpty()) {
            return false;
        }
        String[] f = held.get().split("\n", 3);
        sendTo(f[0], Long.parseLong(f[1]), Frame.of("WHISPER").param(from.display()).trailing(text).build());
        return true;
    }

    /** Sends an event to a session of any server; the owning server delivers it. */
    void sendTo(String toNode, long sessionId, Frame event) {
        cluster.channel(nodeChannel(toNode)).publish(sessionId + "\n" + line(event));
    }

    /** The session of another server holding the nick (by key), for the Directory. */
    public Optional<Session> remoteSession(String nickKey) {
        return nickOwners.get(nickKey).map(v -> v.split("\n", 3))
                .filter(f -> !f[0].equals(node))
                .map(f -> remote(f[0], Long.parseLong(f[1]), f[2]));
    }

    /** The room's members on other servers, for the Directory (file offers to a room). */
    public List<Session> remoteMembers(String roomKey) {
        List<Session> out = new ArrayList<>();
        members(roomKey).snapshot().forEach((id, value) -> {
            int slash = id.lastIndexOf('/');
            String memberNode = id.substring(0, slash);
            if (!memberNode.equals(node)) {
                out.add(remote(memberNode, Long.parseLong(id.substring(slash + 1)), value.split("\n", 2)[1]));
            }
        });
        return out;
    }

    private Session remote(String owner, long sessionId, String nick) {
        long id = remoteIds.computeIfAbsent(owner + "/" + sessionId, k -> -nextRemoteId.incrementAndGet());
        return new RemoteSession(id, owner, sessionId, nick, this);
    }

    private void whispered(String message) {
        String[] f = message.split("\n", 2);
        nicks.bySessionId(Long.parseLong(f[0])).ifPresent(m -> m.session().send(parse(f[1])));
    }

    private void renamedElsewhere(String message) {
        String[] f = message.split("\n", 4);
        if (f[0].equals(node)) {
            return; // delivered here by NickRegistry already
        }
        Set<Session> mates = new LinkedHashSet<>();
        for (String key : f[2].split(",")) {
            rooms.find(key).ifPresent(room -> room.members().forEach(m -> mates.add(m.session())));
        }
        sessions.send(mates, parse(f[3]));
    }

    // ---- rooms ----

    @Override
    public Name shownAs(Name name) {
        return roomNames.get(name.key()).map(display -> new Name(display, name.key())).orElse(name);
    }

    @Override
    public void opened(Room room) {
        String key = room.name().key();
        roomNames.putIfAbsent(key, room.name().display());
        SharedLog messages = log(key);
        Subscription fromLog = messages.subscribe(entry -> {
            String[] f = entry.value().split("\n", 5);
            long except = f[0].equals(node) ? Long.parseLong(f[1]) : -1;
            room.deliver(room.message(entry.sequence() + 1, f[3], f[2], f[4]), except);
        });
        Subscription fromOthers = roomChannel(key).subscribe(message -> {
            String[] f = message.split("\n", 2);
            if (!f[0].equals(node)) {
                room.deliver(parse(f[1]), -1);
            }
        });
        listening.put(room, List.of(fromLog, fromOthers));
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
        String stamp = String.format("%015d%06d", System.currentTimeMillis(), joinCounter.incrementAndGet() % 1_000_000);
        members(key).put(memberId(member.session()), stamp + "\n" + member.nick().display());
        roomNames.putIfAbsent(key, room.name().display());
        publish(key, node, Frame.of("JOINED").params(room.name().display(), member.nick().display()).build());
    }

    @Override
    public void left(Room room, Member member, String reason) {
        String key = room.name().key();
        SharedMap members = members(key);
        members.get(memberId(member.session())).ifPresent(v -> members.remove(memberId(member.session()), v));
        publish(key, node, leftEvent(room.name().display(), member.nick().display(), reason));
        forgetIfEmpty(key);
    }

    @Override
    public void topic(Room room, Member by, String text) {
        String key = room.name().key();
        topics.put(key, text == null ? "" : text);
        publish(key, node, Frame.of("TOPIC").params(room.name().display(), by.nick().display())
                .trailing(text == null ? "" : text).build());
    }

    @Override
    public void say(Room room, Member from, String text, String time) {
        log(room.name().key()).append(node + "\n" + from.session().id() + "\n" + from.nick().display() + "\n"
                + time + "\n" + text, appendTimeout);
    }

    @Override
    public List<Frame> history(Room room, int n) {
        List<Frame> out = new ArrayList<>();
        for (SharedLog.Entry entry : log(room.name().key()).tail(n)) {
            String[] f = entry.value().split("\n", 5);
            out.add(room.message(entry.sequence() + 1, f[3], f[2], f[4]));
        }
        return out;
    }

    @Override
    public Optional<View> find(String key) {
        Optional<String> display = roomNames.get(key);
        if (display.isEmpty()) {
            return Optional.empty();
        }
        List<String> nicksInOrder = members(key).snapshot().values().stream().sorted()
                .map(v -> v.split("\n", 2)[1]).toList();
        if (nicksInOrder.isEmpty()) {
            return Optional.empty();
        }
        String topic = topics.get(key).filter(t -> !t.isEmpty()).orElse(null);
        return Optional.of(new View(display.get(), nicksInOrder, topic));
    }

    @Override
    public List<View> all() {
        List<View> all = new ArrayList<>();
        roomNames.snapshot().keySet().stream().sorted(Comparator.naturalOrder())
                .forEach(key -> find(key).ifPresent(all::add));
        return all;
    }

    // ---- servers leaving ----

    @Override
    public void nodeLeft(String departed) {
        log.info("cluster node {} left; its sessions end in {} unless they resume elsewhere", departed, grace);
        scheduler.schedule(() -> {
            try {
                sweep(departed);
            } catch (RuntimeException e) {
                log.error("cleaning up after cluster node {} failed", departed, e);
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Removes the departed server's nicks and room members; the remover of each member sends its LEFT. */
    void sweep(String departed) {
        nickOwners.snapshot().forEach((key, value) -> {
            if (value.startsWith(departed + "\n")) {
                nickOwners.remove(key, value);
            }
        });
        for (Map.Entry<String, String> room : roomNames.snapshot().entrySet()) {
            SharedMap members = members(room.getKey());
            members.snapshot().forEach((id, value) -> {
                if (id.startsWith(departed + "/") && members.remove(id, value)) {
                    publish(room.getKey(), NOBODY, leftEvent(room.getValue(), value.split("\n", 2)[1], "connection lost"));
                }
            });
            forgetIfEmpty(room.getKey());
        }
    }

    // ---- helpers ----

    private void forgetIfEmpty(String key) {
        if (members(key).size() == 0) {
            roomNames.get(key).ifPresent(display -> {
                roomNames.remove(key, display);
                topics.get(key).ifPresent(t -> topics.remove(key, t));
                if (members(key).size() > 0) {
                    roomNames.putIfAbsent(key, display); // someone joined meanwhile
                }
            });
        }
    }

    private static Frame leftEvent(String room, String nick, String reason) {
        Frame.Builder left = Frame.of("LEFT").params(room, nick);
        if (reason != null) {
            left.trailing(reason);
        }
        return left.build();
    }

    private void publish(String roomKey, String origin, Frame event) {
        roomChannel(roomKey).publish(origin + "\n" + line(event));
    }

    private SharedLog log(String roomKey) {
        return cluster.log("parley.chat.log." + roomKey, logCapacity);
    }

    private SharedMap members(String roomKey) {
        return cluster.map("parley.chat.members." + roomKey);
    }

    private Channel roomChannel(String roomKey) {
        return cluster.channel("parley.chat.room." + roomKey);
    }

    private static String nodeChannel(String nodeId) {
        return "parley.chat.node." + nodeId;
    }

    private String owner(Session session, String display) {
        return node + "\n" + session.id() + "\n" + display;
    }

    private String memberId(Session session) {
        return node + "/" + session.id();
    }

    private static String line(Frame frame) {
        String text = FrameWriter.encodeText(frame);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static Frame parse(String line) {
        try {
            return FrameParser.parse(line);
        } catch (ProtocolException e) {
            throw new IllegalStateException("a cluster peer sent a frame this server cannot read: " + line, e);
        }
    }
}
