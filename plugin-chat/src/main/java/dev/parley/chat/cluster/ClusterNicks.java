package dev.parley.chat.cluster;

import dev.parley.chat.name.Confusables;
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
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.core.spi.cluster.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nicks across the cluster and events for one session of any server.
 * <ul>
 *   <li>map {@code parley.chat.nicks}: nick key to {@code node, session id, nick}, claimed with putIfAbsent, and
 *       {@code ~<skeleton>} to the same, so that no two sessions hold lookalike nicks (a {@code ~} is in no
 *       nick);</li>
 *   <li>log {@code parley.chat.direct.<node>}: events (WHISPER, FILE, ...) for that server's sessions, read by
 *       that server; kept so that a server taking over one of its sessions after it died finds the ones the
 *       session missed;</li>
 *   <li>channel {@code parley.chat.renames}: RENAMED with the renamer's rooms, sent once per session.</li>
 * </ul>
 */
final class ClusterNicks implements NickLedger {
    /** Prefix of the skeleton entries in the nick map; no nick holds a '~'. */
    private static final String SKELETON = "~";
    private final ClusterService cluster;
    private final Sessions sessions;
    private final String node;
    private final SharedMap owners;
    private final Channel renames;
    private final ClusterRooms rooms;
    private final Map<String, Long> remoteIds = new ConcurrentHashMap<>();
    private final AtomicLong nextRemoteId = new AtomicLong();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Duration appendTimeout;
    /** The sequence of the last entry of this server's direct log handed to its session. */
    private volatile long directThrough = -1;

    ClusterNicks(ClusterService cluster, Sessions sessions, ClusterRooms rooms, Duration appendTimeout) {
        this.appendTimeout = appendTimeout;
        this.cluster = cluster;
        this.sessions = sessions;
        this.node = cluster.nodeId();
        this.owners = cluster.map("parley.chat.nicks");
        this.renames = cluster.channel("parley.chat.renames");
        this.rooms = rooms;
    }

    /** Set once this server hands its sessions over: their claims stay for the servers taking them. */
    private volatile boolean handingOver;

    void start(NickRegistry nicks, RoomRegistry localRooms) {
        SharedLog direct = direct(node);
        subscriptions.add(direct.subscribe(direct.lastSequence() + 1, entry -> {
            String[] f = Wire.fields(entry.value(), 2);
            nicks.bySessionId(Long.parseLong(f[0])).ifPresent(m -> m.session().send(Wire.parse(f[1])));
            directThrough = entry.sequence();
        }));
        subscriptions.add(renames.subscribe(message -> renamedElsewhere(message, localRooms)));
    }

    void stop() {
        subscriptions.forEach(Subscription::close);
    }

    /** This server hands its sessions over: it stops delivering whispers and leaves their nicks as they are. */
    void handingOver() {
        handingOver = true;
        stop();
    }

    @Override
    public boolean claim(Session session, Name nick) {
        String owner = Wire.join(node, session.id(), nick.display());
        Optional<String> held = owners.putIfAbsent(nick.key(), owner);
        boolean fresh = held.isEmpty();
        if (!fresh) {
            if (!isOurs(held.get(), session)) {
                return false;
            }
            owners.put(nick.key(), owner); // our own claim, e.g. a change of case
        }
        String skeleton = skeletonKey(nick);
        Optional<String> lookalike = owners.putIfAbsent(skeleton, owner);
        if (lookalike.isPresent()) {
            if (!isOurs(lookalike.get(), session)) {
                if (fresh) {
                    owners.remove(nick.key(), owner);
                }
                return false;
            }
            owners.put(skeleton, owner); // ours: a rename to a lookalike of our own nick
        }
        return true;
    }

    @Override
    public Optional<String> lookalike(Session session, String skeleton) {
        return owners.get(SKELETON + skeleton).filter(value -> !isOurs(value, session))
                .map(value -> Wire.fields(value, 3)[2]);
    }

    @Override
    public void release(Session session, Name nick) {
        if (handingOver) {
            return; // the server taking the session over moves the claim
        }
        owners.get(nick.key()).filter(value -> isOurs(value, session)).ifPresent(value -> owners.remove(nick.key(), value));
        // Only the entry this nick wrote: after a rename to a lookalike the skeleton's entry is the new nick's.
        String skeleton = skeletonKey(nick);
        String owner = Wire.join(node, session.id(), nick.display());
        owners.get(skeleton).filter(owner::equals).ifPresent(value -> owners.remove(skeleton, value));
    }

    private static String skeletonKey(Name nick) {
        return SKELETON + Confusables.skeleton(nick.display());
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
    public Whisper whisper(Name to, Name from, String text) {
        Optional<String> held = owners.get(to.key());
        if (held.isEmpty()) {
            return Whisper.NOBODY;
        }
        String[] f = Wire.fields(held.get(), 3);
        Frame whisper = Frame.of("WHISPER").param(from.display()).trailing(text).build();
        direct(f[0]).append(Wire.join(f[1], Wire.line(whisper)), appendTimeout);
        return Whisper.sent(f[2]);
    }

    /** Sends an event to a session of any server without waiting; the owning server delivers it. */
    void sendTo(String toNode, long sessionId, Frame event) {
        direct(toNode).appendAsync(Wire.join(sessionId, Wire.line(event)));
    }

    /** For checkpoints: the last entry of this server's direct log handed to its session. */
    long directThrough() {
        return directThrough;
    }

    /**
     * The events a session of a departed server missed in that server's direct log, after {@code after}, and
     * the sequence they were read through; empty when the log no longer holds every entry after it.
     */
    Optional<DirectBacklog> directBacklog(String owner, long sessionId, long after) {
        List<SharedLog.Entry> kept = direct(owner).tail(DIRECT_CAPACITY);
        if (!kept.isEmpty() && kept.get(0).sequence() > after + 1) {
            return Optional.empty();
        }
        String id = Long.toString(sessionId);
        List<Frame> missed = new ArrayList<>();
        long through = after;
        for (SharedLog.Entry entry : kept) {
            String[] f = Wire.fields(entry.value(), 2);
            if (entry.sequence() > after && f[0].equals(id)) {
                missed.add(Wire.parse(f[1]));
            }
            through = Math.max(through, entry.sequence());
        }
        return Optional.of(new DirectBacklog(missed, through));
    }

    /** See {@link #directBacklog}. */
    record DirectBacklog(List<Frame> missed, long through) {
    }

    /**
     * Forwards to {@code to}, for a while, what still lands in a departed server's direct log for one of its
     * sessions: a WHISPER whose sender looked the owner up before the takeover moved the nick may be appended
     * there after the backlog was read (its append waits for the dead server's partitions to move, up to the
     * append timeout).
     */
    void forwardStragglers(String owner, long sessionId, long after, Session to, ScheduledExecutorService scheduler) {
        String id = Long.toString(sessionId);
        Subscription following = direct(owner).subscribe(after + 1, entry -> {
            String[] f = Wire.fields(entry.value(), 2);
            if (f[0].equals(id) && to.isOpen()) {
                to.send(Wire.parse(f[1]));
            }
        });
        scheduler.schedule(following::close, 2 * appendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Entries each server's direct log keeps: WHISPERs and FILE offers for its sessions. */
    static final int DIRECT_CAPACITY = 10_000;

    private SharedLog direct(String owner) {
        return cluster.log("parley.chat.direct." + owner, DIRECT_CAPACITY);
    }

    @Override
    public Optional<Session> remoteSession(String nickKey) {
        return owners.get(nickKey).map(v -> Wire.fields(v, 3))
                .filter(f -> !f[0].equals(node))
                .map(f -> remote(f[0], Long.parseLong(f[1]), f[2]));
    }

    /** A stand-in for a session of another server; the same id each time for the same session. */
    Session remote(String owner, long sessionId, String nick) {
        long id = remoteIds.computeIfAbsent(owner + "/" + sessionId, k -> -nextRemoteId.incrementAndGet());
        return new RemoteSession(id, owner, sessionId, nick, this);
    }

    /**
     * The nick the cluster lists for that session of that server: looked up by the hint (the nick it had at
     * its last checkpoint), else searched for (it renamed since).
     */
    Optional<Name> ownedBy(String owner, long sessionId, String hint) {
        Optional<Name> hinted = Name.nick(hint);
        if (hinted.isPresent() && owners.get(hinted.get().key()).filter(v -> isOf(v, owner, sessionId)).isPresent()) {
            return hinted;
        }
        for (Map.Entry<String, String> e : owners.snapshot().entrySet()) {
            if (!e.getKey().startsWith(SKELETON) && isOf(e.getValue(), owner, sessionId)) {
                return Optional.of(new Name(Wire.fields(e.getValue(), 3)[2], e.getKey()));
            }
        }
        return Optional.empty();
    }

    /** Moves the nick from that session of a departed server to {@code into}, atomically. */
    boolean transfer(Name nick, String owner, long sessionId, Session into) {
        Optional<String> held = owners.get(nick.key());
        String value = Wire.join(node, into.id(), nick.display());
        if (!(held.isPresent() && isOf(held.get(), owner, sessionId) && owners.replace(nick.key(), held.get(), value))) {
            return false;
        }
        String skeleton = skeletonKey(nick);
        owners.get(skeleton).filter(v -> isOf(v, owner, sessionId)).ifPresent(v -> owners.replace(skeleton, v, value));
        return true;
    }

    /** Frees the nick if that session of a departed server still holds it. */
    void releaseDeparted(String owner, long sessionId, Name nick) {
        owners.get(nick.key()).filter(v -> isOf(v, owner, sessionId)).ifPresent(v -> owners.remove(nick.key(), v));
        String skeleton = skeletonKey(nick);
        owners.get(skeleton).filter(v -> isOf(v, owner, sessionId)).ifPresent(v -> owners.remove(skeleton, v));
    }

    private static boolean isOf(String value, String owner, long sessionId) {
        String[] f = Wire.fields(value, 3);
        return f[0].equals(owner) && f[1].equals(Long.toString(sessionId));
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
}
