package dev.parley.core.spi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who is who: registered names and rooms. The plugin that owns names (chat) provides it with
 * {@link PluginContext#provide}; others (file transfer, third-party plugins) find it with
 * {@link PluginContext#lookup} and so never depend on that plugin's code.
 */
public interface Directory {

    /** The canonical form of a name, under which names compare equal (e.g. case-folded, NFC). */
    String canonical(String name);

    /** The session registered under the name, compared canonically. */
    Optional<Session> session(String name);

    /** The members of a room ({@code #name}), or empty when no such room exists. */
    Optional<Collection<Session>> members(String room);

    /** True when the session is a member of the room. */
    boolean isMember(String room, Session session);

    /**
     * The room's name as its members see it (e.g. {@code #Lobby} for a room found as {@code #lobby}), or empty
     * when no such room exists, or when this directory does not know display names.
     *
     * @since SPI 1.3
     */
    default Optional<String> displayName(String room) {
        return Optional.empty();
    }

    /**
     * Asks to be told when sessions of this server join or leave rooms, and when a room empties, so that a
     * plugin's own per-room state can follow the rooms.
     *
     * @return true when this directory will call the listener; false (the default) when it offers no such
     *         notifications
     * @since SPI 1.3
     */
    default boolean addRoomListener(RoomListener listener) {
        return false;
    }

    /**
     * Room and membership changes of this server's sessions (in a cluster each server tells its own). Called
     * after the change, on the thread that made it and outside the directory's locks; for one session in the
     * order of its commands. Must not block; an exception is logged and does not undo the change. Rooms are
     * named as {@link #displayName} shows them.
     *
     * @since SPI 1.3
     */
    interface RoomListener {
        /** The session entered the room (JOIN, or taken over from another server of a cluster). */
        default void joined(String room, Session session) {
        }

        /** The session is no longer in the room: it left (PART), was kicked, or its session ended. */
        default void parted(String room, Session session) {
        }

        /** The room's last member on this server left: the room is gone here, after its last {@link #parted}. */
        default void emptied(String room) {
        }
    }

    /**
     * The rooms of this server, by display name ({@code #Lobby}), ordered by canonical name; for listings such
     * as an admin API. The default (a directory that does not list rooms) has none.
     */
    default List<String> rooms() {
        return List.of();
    }

    /** The topic of a room, empty when the room has none, does not exist, or the directory does not keep topics. */
    default Optional<String> topic(String room) {
        return Optional.empty();
    }
}
