package dev.parley.chat;

import dev.parley.chat.name.Name;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.Session;
import java.util.Collection;
import java.util.Optional;

/** Core's {@link Directory} over the chat's nicks and rooms, for plugins that must not depend on chat. */
final class ChatDirectory implements Directory {
    private final NickRegistry nicks;
    private final RoomRegistry rooms;

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
        return nicks.byKey(canonical(name)).map(Member::session);
    }

    @Override
    public Optional<Collection<Session>> members(String room) {
        return rooms.find(canonical(room))
                .map(r -> r.members().stream().map(Member::session).toList());
    }

    @Override
    public boolean isMember(String room, Session session) {
        String key = canonical(room);
        return nicks.of(session).map(m -> m.isIn(key)).orElse(false);
    }
}
