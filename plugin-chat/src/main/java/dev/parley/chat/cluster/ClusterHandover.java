package dev.parley.chat.cluster;

import dev.parley.chat.cluster.SessionCursors.Cursor;
import dev.parley.chat.name.Name;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionRetention;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.SessionHandover;
import dev.parley.core.spi.cluster.SharedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a session of a departed server over on this one (see {@link SessionHandover}): claims its cursor
 * record (one taker wins), moves its nick and its room memberships to the new session without telling
 * anyone, and sends it the WHISPERs and FILE offers of the departed server's direct log, then, room by room,
 * the entries of each room's log after the checkpoint the client's last-seq is past.
 */
final class ClusterHandover implements SessionHandover {
    private static final Logger log = LoggerFactory.getLogger(ClusterHandover.class);

    private final ClusterService cluster;
    private final SharedMap cursors;
    private final ClusterNicks nicks;
    private final ClusterRooms rooms;
    private final ScheduledExecutorService scheduler;
    private volatile NickRegistry localNicks;
    private volatile RoomRegistry localRooms;

    /** Nodes handing their sessions over (ClusterChat#handingOver): still members, their sessions already free. */
    private final SharedMap departing;

    ClusterHandover(ClusterService cluster, SharedMap cursors, SharedMap departing, ClusterNicks nicks,
                    ClusterRooms rooms, ScheduledExecutorService scheduler) {
        this.departing = departing;
        this.scheduler = scheduler;
        this.cluster = cluster;
        this.cursors = cursors;
        this.nicks = nicks;
        this.rooms = rooms;
    }

    void start(NickRegistry nickRegistry, RoomRegistry roomRegistry) {
        this.localNicks = nickRegistry;
        this.localRooms = roomRegistry;
    }

    @Override
    public Result takeOver(Session into, String node, long sessionId, OptionalLong lastSeq,
                           SessionRetention retention) {
        if (into.isRegistered()) {
            throw new IllegalStateException(into + " is registered; only a new connection takes a session over");
        }
        if (node.equals(cluster.nodeId())) {
            return new Result(Outcome.NO_SUCH_SESSION, null); // ours: it ended, or the token would be known here
        }
        if (cluster.nodes().contains(node) && departing.get(node).isEmpty()) {
            return new Result(Outcome.STILL_HOSTED, null);
        }
        String key = SessionCursors.key(node, sessionId);
        Optional<String> record = cursors.get(key);
        if (record.isEmpty()) {
            return new Result(Outcome.NO_SUCH_SESSION, null);
        }
        Cursor cursor = Cursor.parse(record.get());
        Optional<Cursor.Checkpoint> start = cursor.startFor(lastSeq);
        // One taker: whoever removes the record owns the session from here on.
        if (!cursors.remove(key, record.get())) {
            return new Result(Outcome.NO_SUCH_SESSION, null);
        }
        AtomicBoolean moving = new AtomicBoolean();
        try {
            return takeOver(into, node, sessionId, lastSeq, retention, cursor, start, moving);
        } catch (ClusterException e) {
            if (!moving.get()) {
                // The cluster failed while only reading: nothing of the session moved, so the claim goes back.
                // The client is told CLUSTER_UNAVAILABLE and tries again, and must find its session then.
                localNicks.release(into);
                try {
                    cursors.putIfAbsent(key, record.get());
                } catch (RuntimeException again) {
                    log.warn("session {} of departed node {} is lost: giving back its checkpoint failed: {}",
                            sessionId, node, again.toString());
                }
            }
            throw e;
        }
    }

    /** @param moving set once the session starts to move (its nick first), after which nothing goes back */
    private Result takeOver(Session into, String node, long sessionId, OptionalLong lastSeq,
                            SessionRetention retention, Cursor cursor, Optional<Cursor.Checkpoint> start,
                            AtomicBoolean moving) {
        Optional<Name> nick = nicks.ownedBy(node, sessionId, cursor.nick());
        if (nick.isEmpty()) {
            return new Result(Outcome.NO_SUCH_SESSION, null); // the departed server's sweep freed it
        }
        if (start.isEmpty()) {
            log.info("session {} of departed node {} asked for events after seq {}, older than its checkpoints;"
                    + " ending it", sessionId, node, lastSeq.getAsLong());
            end(node, sessionId, nick.get());
            return new Result(Outcome.REPLAY_UNAVAILABLE, null);
        }
        // Check that every room's log still holds what the client missed before anything moves.
        List<String> roomKeys = rooms.roomsOf(node, sessionId);
        List<Room.Backlog> backlogs = new ArrayList<>();
        List<Name> names = new ArrayList<>();
        Map<String, Long> positions = start.get().positions();
        for (String roomKey : roomKeys) {
            long after = positions.getOrDefault(roomKey, ClusterRooms.UNKNOWN);
            Optional<Room.Backlog> backlog = rooms.backlog(roomKey, after, node, sessionId, into);
            Optional<Name> name = rooms.name(roomKey);
            if (backlog.isEmpty() || name.isEmpty()) {
                end(node, sessionId, nick.get());
                return new Result(Outcome.REPLAY_UNAVAILABLE, null);
            }
            backlogs.add(backlog.get());
            names.add(name.get());
        }
        retention.continueSequence(into, lastSeq.orElse(start.get().seq()));
        Optional<Member> member = localNicks.adopt(into, nick.get());
        if (member.isEmpty()) {
            return new Result(Outcome.NO_SUCH_SESSION, null);
        }
        // The nick moves (with the session already known here, so nothing sent to it from now on is dropped),
        // then the old server's direct log holds every whisper sent to the old session.
        moving.set(true);
        if (!nicks.transfer(nick.get(), node, sessionId, into)) {
            localNicks.release(into);
            return new Result(Outcome.NO_SUCH_SESSION, null);
        }
        Optional<ClusterNicks.DirectBacklog> direct = nicks.directBacklog(node, sessionId,
                positions.getOrDefault(SessionCursors.DIRECT, -1L));
        if (direct.isEmpty()) {
            localNicks.release(into);
            rooms.removeDeparted(node, sessionId);
            return new Result(Outcome.REPLAY_UNAVAILABLE, null);
        }
        direct.get().missed().forEach(into::send);
        nicks.forwardStragglers(node, sessionId, direct.get().through(), into, scheduler);
        for (int i = 0; i < roomKeys.size(); i++) {
            if (rooms.moveMember(roomKeys.get(i), node, sessionId, into)) {
                localRooms.adopt(member.get(), names.get(i), backlogs.get(i));
            }
        }
        log.info("{} took over session {} of departed node {} ({} rooms)", into, sessionId, node, roomKeys.size());
        return new Result(Outcome.TAKEN_OVER, nick.get().display());
    }

    /** Ends a departed server's session as its sweep would: LEFT in its rooms, nick free. */
    private void end(String node, long sessionId, Name nick) {
        rooms.removeDeparted(node, sessionId);
        nicks.releaseDeparted(node, sessionId, nick);
    }
}
