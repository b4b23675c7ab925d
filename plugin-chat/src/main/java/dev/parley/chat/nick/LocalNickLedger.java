package dev.parley.chat.nick;

import dev.parley.chat.name.Name;
import dev.parley.chat.room.Member;
import dev.parley.core.spi.Session;
import java.util.Optional;

/**
 * The nicks of a single server: its {@link NickRegistry} holds every one, so there is nothing to claim beyond it,
 * nobody else to tell, and every whisper is delivered here.
 */
final class LocalNickLedger implements NickLedger {

    @Override
    public boolean claim(Session session, Name nick) {
        return true;
    }

    @Override
    public Optional<String> lookalike(Session session, String skeleton) {
        return Optional.empty();
    }

    @Override
    public void release(Session session, Name nick) {
    }

    @Override
    public void renamed(Member member, Name old, Name now) {
        // NickRegistry told every roommate: they are all on this server.
    }

    @Override
    public Whisper whisper(Name to, Name from, String text) {
        return Whisper.HERE;
    }

    @Override
    public Optional<Session> remoteSession(String nickKey) {
        return Optional.empty();
    }
}
