package dev.parley.chat.nick;

import dev.parley.chat.name.Name;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Members;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who holds which nick. A nick is claimed atomically by its key, so two sessions racing for {@code alice}
 * and {@code ALICE} cannot both win.
 */
public final class NickRegistry implements Members {

    /** What {@link #claim} did. */
    public enum Claim { CLAIMED, UNCHANGED, IN_USE }

    private final ConcurrentHashMap<String, Member> byNick = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Member> bySession = new ConcurrentHashMap<>();
    private final Sessions sessions;

    public NickRegistry(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Optional<Member> of(Session session) {
        return Optional.ofNullable(bySession.get(session.id()));
    }

    /** The member holding the nick with that key. */
    public Optional<Member> byKey(String key) {
        return Optional.ofNullable(byNick.get(key));
    }

    /**
     * Gives the session the nick, registering it with the server. A rename frees the old nick and tells
     * every session sharing a room with it {@code RENAMED <old> <new>}, once each.
     */
    public Claim claim(Session session, Name nick) {
        Member current = bySession.get(session.id());
        if (current == null) {
            Member member = new Member(session, nick);
            if (byNick.putIfAbsent(nick.key(), member) != null) {
                return Claim.IN_USE;
            }
            bySession.put(session.id(), member);
            session.register(nick.display());
            return Claim.CLAIMED;
        }
        Name old = current.nick();
        if (old.display().equals(nick.display())) {
            return Claim.UNCHANGED;
        }
        if (!old.key().equals(nick.key())) {
            if (byNick.putIfAbsent(nick.key(), current) != null) {
                return Claim.IN_USE;
            }
            byNick.remove(old.key(), current);
        }
        current.renameTo(nick);
        session.register(nick.display());
        sessions.send(current.roommates(), Frame.of("RENAMED").params(old.display(), nick.display()).build());
        return Claim.CLAIMED;
    }

    /** Frees the session's nick; the member it had, if any, for the caller to take out of its rooms. */
    public Optional<Member> release(Session session) {
        Member member = bySession.remove(session.id());
        if (member != null) {
            byNick.remove(member.nick().key(), member);
        }
        return Optional.ofNullable(member);
    }
}
