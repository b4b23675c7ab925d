package dev.parley.chat.nick;

import dev.parley.chat.name.Confusables;
import dev.parley.chat.name.Name;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Members;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who holds which nick on this server; the {@link NickLedger} knows those of the other servers sharing them. A
 * nick is claimed atomically by its key, here and then in the ledger, so two sessions racing for {@code alice}
 * and {@code ALICE} cannot both win, and then by its confusable skeleton (see {@link Confusables}), so
 * {@code alice} and {@code аlice} cannot both be held either.
 */
public final class NickRegistry implements Members {

    /** What {@link #claim} did. */
    public enum Claim { CLAIMED, UNCHANGED, IN_USE }

    private final ConcurrentHashMap<String, Member> byNick = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Member> bySession = new ConcurrentHashMap<>();
    /** Skeleton to holder; a member's entry is its current nick's. */
    private final ConcurrentHashMap<String, Member> bySkeleton = new ConcurrentHashMap<>();
    private final Sessions sessions;
    private final NickLedger ledger;

    /** The nicks of a single server ({@code LocalNickLedger}). */
    public NickRegistry(Sessions sessions) {
        this(sessions, new LocalNickLedger());
    }

    /** @param ledger the nicks as the servers sharing them see them (a cluster's) */
    public NickRegistry(Sessions sessions, NickLedger ledger) {
        this.sessions = sessions;
        this.ledger = ledger;
    }

    /** The member of this server's session with that id. */
    public Optional<Member> bySessionId(long sessionId) {
        return Optional.ofNullable(bySession.get(sessionId));
    }

    /** Sends a whisper through the ledger when it carries whispers (see {@link NickLedger#whisper}). */
    public NickLedger.Whisper whisper(Name to, Name from, String text) {
        return ledger.whisper(to, from, text);
    }

    /** The session holding the nick (by key): this server's, or a stand-in for another server's. */
    public Optional<Session> sessionAnywhere(String key) {
        Member local = byNick.get(key);
        return local != null ? Optional.of(local.session()) : ledger.remoteSession(key);
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
        String skeleton = Confusables.skeleton(nick.display());
        if (current == null) {
            Member member = new Member(session, nick);
            if (byNick.putIfAbsent(nick.key(), member) != null) {
                return Claim.IN_USE;
            }
            if (bySkeleton.putIfAbsent(skeleton, member) != null) {
                byNick.remove(nick.key(), member);
                return Claim.IN_USE;
            }
            if (!ledger.claim(session, nick)) {
                byNick.remove(nick.key(), member);
                bySkeleton.remove(skeleton, member);
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
            String oldSkeleton = Confusables.skeleton(old.display());
            Member resembled = bySkeleton.putIfAbsent(skeleton, current);
            if (resembled != null && resembled != current) {
                byNick.remove(nick.key(), current);
                return Claim.IN_USE;
            }
            if (!ledger.claim(session, nick)) {
                byNick.remove(nick.key(), current);
                if (!skeleton.equals(oldSkeleton)) {
                    bySkeleton.remove(skeleton, current);
                }
                return Claim.IN_USE;
            }
            byNick.remove(old.key(), current);
            if (!skeleton.equals(oldSkeleton)) {
                bySkeleton.remove(oldSkeleton, current);
            }
            ledger.release(session, old);
        } else {
            ledger.claim(session, nick); // ours already: records the new spelling
        }
        current.renameTo(nick);
        session.register(nick.display());
        sessions.send(current.roommates(), Frame.of("RENAMED").params(old.display(), nick.display()).build());
        ledger.renamed(current, old, nick);
        return Claim.CLAIMED;
    }

    /**
     * Registers the session under a nick a cluster already handed it (a session taken over
     * from another server); nobody is told.
     *
     * @return the new member, or empty when a session of this server holds the nick
     */
    public Optional<Member> adopt(Session session, Name nick) {
        Member member = new Member(session, nick);
        if (byNick.putIfAbsent(nick.key(), member) != null) {
            return Optional.empty();
        }
        // The cluster handed it the nick, so no other session of the cluster holds a lookalike.
        bySkeleton.putIfAbsent(Confusables.skeleton(nick.display()), member);
        bySession.put(session.id(), member);
        session.register(nick.display());
        return Optional.of(member);
    }

    /**
     * The nick in use that the given one resembles (same skeleton, see {@link Confusables}), held by another
     * session than this one, on this server or another of the cluster: what a refused NICK names.
     */
    public Optional<String> resembled(Session session, Name nick) {
        String skeleton = Confusables.skeleton(nick.display());
        Member local = bySkeleton.get(skeleton);
        if (local != null && local.session().id() != session.id()) {
            return Optional.of(local.nick().display());
        }
        return ledger.lookalike(session, skeleton);
    }

    /** This server's members, as a snapshot. */
    public List<Member> all() {
        return List.copyOf(bySession.values());
    }

    /** Frees the session's nick; the member it had, if any, for the caller to take out of its rooms. */
    public Optional<Member> release(Session session) {
        Member member = bySession.remove(session.id());
        if (member != null) {
            byNick.remove(member.nick().key(), member);
            bySkeleton.remove(Confusables.skeleton(member.nick().display()), member);
            ledger.release(session, member.nick());
        }
        return Optional.ofNullable(member);
    }
}
