package dev.parley.chat.nick;

import dev.parley.chat.name.Name;
import dev.parley.chat.room.Member;
import dev.parley.core.spi.Session;
import java.util.Optional;

/**
 * The nicks of the other servers, when servers run as a cluster: {@link NickRegistry} claims a nick here
 * after claiming it locally, so a nick is unique cluster-wide. A single server has none.
 */
public interface NickLedger {

    /**
     * Claims the nick for the session cluster-wide; false when a session of another server holds it or a
     * nick of the same confusable skeleton (see {@link dev.parley.chat.name.Confusables}).
     */
    boolean claim(Session session, Name nick);

    /**
     * The nick of another session, on any server, whose confusable skeleton is this one; empty when none.
     */
    Optional<String> lookalike(Session session, String skeleton);

    /** Frees the session's claim on the nick (no-op when someone else holds it). */
    void release(Session session, Name nick);

    /** Tells the member's roommates on other servers {@code RENAMED <old> <new>}, once each. */
    void renamed(Member member, Name old, Name now);

    /**
     * Sends {@code WHISPER <from> :<text>} to the holder of the nick on whichever server holds it, and returns
     * once the cluster accepted it.
     *
     * @return the nick as its holder shows it; empty when no server has that nick
     */
    Optional<String> whisper(Name to, Name from, String text);
}
