package dev.parley.chat;

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

    /** Sessions of other servers sharing the nicks and rooms (a cluster's) come from the registries' ledgers. */
    ChatDirectory(NickRegistry nicks, RoomRegistry rooms) {
        this.nicks = nicks;
        this.rooms = rooms;
    }

    @Override
    public String canonical(String name) {
        return name.startsWith("#") ? "#" + Name.fold(name.substring(1)) : Name.fold(name);
    }

    @Override
    public Optional<Session> session(String name) {
        return nicks.sessionAnywhere(canonical(name));
    }

    @Override
    public Optional<Collection<Session>> members(String room) {
        Optional<Collection<Session>> local = rooms.find(canonical(room))
                .map(r -> r.members().stream().map(Member::session).toList());
        List<Session> remote = rooms.ledger().remoteMembers(canonical(room));
        if (remote.isEmpty()) {
            return local;
        }
        List<Session> all = new ArrayList<>(local.orElse(List.of()));
        all.addAll(remote);
        return Optional.of(all);
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
