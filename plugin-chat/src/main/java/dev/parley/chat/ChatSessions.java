package dev.parley.chat;

import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;

/** What the chat does when a session goes: it leaves every room and its nick becomes free. */
final class ChatSessions implements SessionListener {
    private final NickRegistry nicks;
    private final RoomRegistry rooms;

    ChatSessions(NickRegistry nicks, RoomRegistry rooms) {
        this.nicks = nicks;
        this.rooms = rooms;
    }

    @Override
    public void sessionEnded(Session session, String reason) {
        leaveEverything(session, reason);
    }

    /**
     * Takes the session out of the chat: every room it is in tells its other members
     * {@code LEFT <#room> <nick> [:reason]}, empty rooms close, and the nick is freed. The one place this
     * happens, so that resumption (heartbeat) can defer it. The nick is freed first: whoever reads the
     * {@code LEFT} may take the nick at once.
     */
    void leaveEverything(Session session, String reason) {
        nicks.of(session).ifPresent(member -> {
            nicks.release(session);
            rooms.leaveAll(member, reason);
        });
    }
}
