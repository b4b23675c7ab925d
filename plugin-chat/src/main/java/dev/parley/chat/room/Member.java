package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.core.spi.Session;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session with a nick, and the rooms it is in. Its nick and rooms change only through its own commands
 * or its departure, which the server runs one at a time; other threads only read them.
 */
public final class Member {
    private final Session session;
    private volatile Name nick;
    /** Rooms joined, by key; concurrent because other sessions' commands and the Directory read it. */
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

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
        return List.copyOf(rooms.values());
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

    void joined(Room room) {
        rooms.put(room.name().key(), room);
    }

    void left(Room room) {
        rooms.remove(room.name().key(), room);
    }

    @Override
    public String toString() {
        return nick.display() + " (session " + session.id() + ")";
    }
}
