package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.core.spi.Session;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A session with a nick, and the rooms it is in. Its nick changes only through its own commands, which the
 * server runs one at a time; its rooms also through another member's KICK. Other threads only read them.
 */
public final class Member {
    private final Session session;
    private volatile Name nick;
    /**
     * Rooms joined, by key: an immutable map replaced on every join and leave, so that other sessions' commands
     * and the Directory read it without a lock. Joins and leaves are rare next to reads, and an idle member
     * holds the shared empty map instead of a ConcurrentHashMap of its own (64 bytes each at 10,000 sessions).
     * Replaced under this member's lock: a KICK leaves the room from the kicker's thread.
     */
    private volatile Map<String, Room> rooms = Map.of();

    public Member(Session session, Name nick) {
        this.session = session;
        this.nick = nick;
    }

    public Session session() {
        return session;
    }

    public Name nick() {
        return nick;
    }

    /** Changes the nick this member is shown with; the caller checked that it is free. */
    public void renameTo(Name newNick) {
        this.nick = newNick;
    }

    public boolean isIn(String roomKey) {
        return rooms.containsKey(roomKey);
    }

    /** The room with that key, if this member is in it. */
    public Optional<Room> room(String roomKey) {
        return Optional.ofNullable(rooms.get(roomKey));
    }

    public int roomCount() {
        return rooms.size();
    }

    /** The rooms this member is in, as a snapshot. */
    public Collection<Room> rooms() {
        return rooms.values();
    }

    /** Every session sharing at least one room with this member, each once, this member's own excluded. */
    public Set<Session> roommates() {
        Set<Session> mates = new LinkedHashSet<>();
        for (Room room : rooms.values()) {
            for (Member m : room.members()) {
                if (m != this) {
                    mates.add(m.session());
                }
            }
        }
        return Collections.unmodifiableSet(mates);
    }

    synchronized void joined(Room room) {
        Map<String, Room> next = new HashMap<>(rooms);
        next.put(room.name().key(), room);
        rooms = Map.copyOf(next);
    }

    synchronized void left(Room room) {
        String key = room.name().key();
        if (rooms.get(key) == room) {
            Map<String, Room> next = new HashMap<>(rooms);
            next.remove(key);
            rooms = Map.copyOf(next);
        }
    }

    @Override
    public String toString() {
        return nick.display() + " (session " + session.id() + ")";
    }
}
