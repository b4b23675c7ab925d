package dev.parley.chat.cluster;

import dev.parley.chat.name.Name;
import dev.parley.chat.nick.NickLedger;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.core.spi.cluster.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nicks across the cluster and events for one session of any server.
 * <ul>
 *   <li>map {@code parley.chat.nicks}: nick key to {@code node, session id, nick}, claimed with putIfAbsent;</li>
 *   <li>channel {@code parley.chat.node.<node>}: events (WHISPER, FILE, ...) for that server's sessions;</li>
 *   <li>channel {@code parley.chat.renames}: RENAMED with the renamer's rooms, sent once per session.</li>
 * </ul>
 */
final class ClusterNicks implements NickLedger {
    private final ClusterService cluster;
    private final Sessions sessions;
    private final String node;
    private final SharedMap owners;
    private final Channel renames;
    private final ClusterRooms rooms;
    private final Map<String, Long> remoteIds = new ConcurrentHashMap<>();
    private final AtomicLong nextRemoteId = new AtomicLong();
    private final List<Subscription> subscriptions = new ArrayList<>();

    ClusterNicks(ClusterService cluster, Sessions sessions, ClusterRooms rooms) {
        this.cluster = cluster;
        this.sessions = sessions;
        this.node = cluster.nodeId();
        this.owners = cluster.map("parley.chat.nicks");
        this.renames = cluster.channel("parley.chat.renames");
        this.rooms = rooms;
    }

    void start(NickRegistry nicks, RoomRegistry localRooms) {
        subscriptions.add(cluster.channel(nodeChannel(node)).subscribe(message -> {
            String[] f = Wire.fields(message, 2);
            nicks.bySessionId(Long.parseLong(f[0])).ifPresent(m -> m.session().send(Wire.parse(f[1])));
        }));
        subscriptions.add(renames.subscribe(message -> renamedElsewhere(message, localRooms)));
    }

    void stop() {
        subscriptions.forEach(Subscription::close);
    }

    @Override
    public boolean claim(Session session, Name nick) {
        String owner = Wire.join(node, session.id(), nick.display());
        Optional<String> held = owners.putIfAbsent(nick.key(), owner);
        if (held.isEmpty()) {
            return true;
        }
        if (isOurs(held.get(), session)) {
            owners.put(nick.key(), owner); // our own claim, e.g. a change of case
            return true;
        }
        return false;
    }

    @Override
    public void release(Session session, Name nick) {
        owners.get(nick.key()).filter(value -> isOurs(value, session)).ifPresent(value -> owners.remove(nick.key(), value));
    }

    @Override
    public void renamed(Member member, Name old, Name now) {
        List<String> keys = new ArrayList<>();
        for (Room room : member.rooms()) {
            keys.add(room.name().key());
            rooms.renamed(room.name().key(), member.session(), now);
        }
        if (!keys.isEmpty()) {
            Frame event = Frame.of("RENAMED").params(old.display(), now.display()).build();
            renames.publish(Wire.join(node, member.session().id(), String.join(",", keys), Wire.line(event)));
        }
    }

    @Override
    public boolean whisper(Name to, Name from, String text) {
        Optional<String> held = owners.get(to.key());
        if (held.isEmpty()) {
            return false;
        }
        String[] f = Wire.fields(held.get(), 3);
        sendTo(f[0], Long.parseLong(f[1]), Frame.of("WHISPER").param(from.display()).trailing(text).build());
        return true;
    }

    /** Sends an event to a session of any server; the owning server delivers it. */
    void sendTo(String toNode, long sessionId, Frame event) {
        cluster.channel(nodeChannel(toNode)).publish(Wire.join(sessionId, Wire.line(event)));
    }

    /** The session of another server holding the nick (by key). */
    Optional<Session> remoteSession(String nickKey) {
        return owners.get(nickKey).map(v -> Wire.fields(v, 3))
                .filter(f -> !f[0].equals(node))
                .map(f -> remote(f[0], Long.parseLong(f[1]), f[2]));
    }

    /** A stand-in for a session of another server; the same id each time for the same session. */
    Session remote(String owner, long sessionId, String nick) {
        long id = remoteIds.computeIfAbsent(owner + "/" + sessionId, k -> -nextRemoteId.incrementAndGet());
        return new RemoteSession(id, owner, sessionId, nick, this);
    }

    /** Frees the nicks a departed server's sessions held. */
    void sweep(String departed) {
        owners.snapshot().forEach((key, value) -> {
            if (Wire.fields(value, 3)[0].equals(departed)) {
                owners.remove(key, value);
            }
        });
    }

    private void renamedElsewhere(String message, RoomRegistry localRooms) {
        String[] f = Wire.fields(message, 4);
        if (f[0].equals(node)) {
            return; // NickRegistry told this server's roommates already
        }
        Set<Session> mates = new LinkedHashSet<>();
        for (String key : f[2].split(",")) {
            localRooms.find(key).ifPresent(room -> room.members().forEach(m -> mates.add(m.session())));
        }
        sessions.send(mates, Wire.parse(f[3]));
    }

    private boolean isOurs(String owner, Session session) {
        String[] f = Wire.fields(owner, 3);
        return f[0].equals(node) && f[1].equals(Long.toString(session.id()));
    }

    private static String nodeChannel(String nodeId) {
        return "parley.chat.node." + nodeId;
    }
}
