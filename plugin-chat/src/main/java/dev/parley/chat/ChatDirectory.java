package dev.parley.chat;

import dev.parley.chat.cluster.ClusterChat;
import dev.parley.chat.name.Name;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Core's {@link Directory} over the chat's nicks and rooms, for plugins that must not depend on chat. */
final class ChatDirectory implements Directory {
    private final NickRegistry nicks;
    private final RoomRegistry rooms;
    private final ClusterChat cluster; // null on a single server

    ChatDirectory(NickRegistry nicks, RoomRegistry rooms) {
        this(nicks, rooms, null);
    }

    /** @param cluster the chat's cluster side, whose sessions of other servers are included; or null */
    ChatDirectory(NickRegistry nicks, RoomRegistry rooms, ClusterChat cluster) {
        this.nicks = nicks;
        this.rooms = rooms;
        this.cluster = cluster;
    }

    @Override
    public String canonical(String name) {
        return name.startsWith("#") ? "#" + Name.fold(name.substring(1)) : Name.fold(name);
    }

    @Override
    public Optional<Session> session(String name) {
        Optional<Session> local = nicks.byKey(canonical(name)).map(Member::session);
        return local.isPresent() || cluster == null ? local : cluster.remoteSession(canonical(name));
    }

    @Override
    public Optional<Collection<Session>> members(String room) {
        Optional<Collection<Session>> local = rooms.find(canonical(room))
                .map(r -> r.members().stream().map(Member::session).toList());
        if (cluster == null) {
            return local;
        }
        List<Session> all = new ArrayList<>(local.orElse(List.of()));
        all.addAll(cluster.remoteMembers(canonical(room)));
        return all.isEmpty() ? Optional.empty() : Optional.of(all);
    }

    @Override
    public Optional<String> displayName(String room) {
        return rooms.find(canonical(room)).map(r -> r.name().display());
    }

    @Override
    public boolean addRoomListener(RoomListener listener) {
        rooms.listeners().add(listener);
        return true;
    }

    @Override
    public boolean isMember(String room, Session session) {
        String key = canonical(room);
        return nicks.of(session).map(m -> m.isIn(key)).orElse(false);
    }

    @Override
    public List<String> rooms() {
        return rooms.all().stream().map(r -> r.name().display()).toList();
    }

    @Override
    public Optional<String> topic(String room) {
        return rooms.find(canonical(room)).flatMap(r -> Optional.ofNullable(r.topic()));
    }
}
