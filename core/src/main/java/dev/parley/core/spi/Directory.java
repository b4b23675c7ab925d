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
