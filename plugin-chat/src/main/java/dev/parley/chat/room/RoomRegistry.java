package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.core.spi.Sessions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms that exist, by key. A room exists while it has members: the first JOIN creates it, the last
 * member leaving removes it (under the room's lock, so a JOIN racing with it simply opens a fresh room).
 */
public final class RoomRegistry {
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Sessions sessions;
    private final Clock clock;
    private final int historySize;
    private final RoomReplication replication; // null on a single server
    private final RoomListeners listeners = new RoomListeners();

    /**
     * @param sessions    fans events out
     * @param clock       stamps messages ({@code time} tag)
     * @param historySize messages kept per room
     */
    public RoomRegistry(Sessions sessions, Clock clock, int historySize) {
        this(sessions, clock, historySize, null);
    }

    /** @param replication the cluster's side of every room, or null on a single server */
    public RoomRegistry(Sessions sessions, Clock clock, int historySize, RoomReplication replication) {
        this.sessions = sessions;
        this.clock = clock;
        this.historySize = historySize;
        this.replication = replication;
    }

    /** The cluster's view of the rooms, when servers run as a cluster. */
    public Optional<RoomReplication> cluster() {
        return Optional.ofNullable(replication);
    }

    /** Other plugins' listeners to rooms and membership (core's Directory.RoomListener). */
    public RoomListeners listeners() {
        return listeners;
    }

    /** The room with the name's key, if it exists. */
    public Optional<Room> find(String key) {
        return Optional.ofNullable(rooms.get(key));
    }

    /** Every room, ordered by key, as a snapshot. */
    public List<Room> all() {
        List<Room> all = new ArrayList<>(rooms.values());
        all.sort(Comparator.comparing(r -> r.name().key()));
        return all;
    }

    /** Adds the member to the room, creating it (shown as {@code name}) if it does not exist. */
    public Room join(Member member, Name name) {
        if (replication != null && !rooms.containsKey(name.key())) {
            name = replication.shownAs(name);
        }
        Name shown = name;
        while (true) {
            Room room = rooms.computeIfAbsent(shown.key(),
                    key -> new Room(shown, historySize, sessions, clock, this::forget, replication, listeners));
            if (room.join(member)) {
                return room;
            }
        }
    }

    /**
     * Cluster only: puts a member taken over from another server into the room (shown as {@code name}),
     * creating it here if needed, without announcing it; {@code backlog} sends it what it missed.
     */
    public Room adopt(Member member, Name name, Room.Backlog backlog) {
        if (replication == null) {
            throw new IllegalStateException("only a cluster hands sessions over");
        }
        while (true) {
            Room room = rooms.computeIfAbsent(name.key(),
                    key -> new Room(name, historySize, sessions, clock, this::forget, replication, listeners));
            if (room.adopt(member, backlog)) {
                return room;
            }
        }
    }

    /**
     * Takes the member out of every room it is in; each room's other members get {@code LEFT} with the
     * reason (null for none).
     */
    public void leaveAll(Member member, String reason) {
        for (Room room : member.rooms()) {
            room.leave(member, reason);
        }
    }

    private void forget(Room room) {
        rooms.remove(room.name().key(), room);
    }
}
