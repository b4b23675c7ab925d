package dev.parley.chat.nick;

import dev.parley.chat.name.Name;
import dev.parley.chat.room.Member;
import dev.parley.core.spi.Session;
import java.util.Optional;

/**
 * The nicks as every server that shares them sees them. Chosen once at start: {@code LocalNickLedger} on a
 * single server, whose {@link NickRegistry} holds every nick there is; the cluster's
 * ({@code dev.parley.chat.cluster}) when servers run as one. {@link NickRegistry} claims a nick here after
 * claiming it among this server's sessions, so a nick is unique wherever it is shared, and NICK and TELL behave
 * alike on both (see the chat contract tests).
 */
public interface NickLedger {

    /**
     * Claims the nick for the session; false when a session of another server holds it or a nick of the same
     * confusable skeleton (see {@link dev.parley.chat.name.Confusables}).
     */
    boolean claim(Session session, Name nick);

    /**
     * The nick of another session, on another server, whose confusable skeleton is this one; empty when none.
     */
    Optional<String> lookalike(Session session, String skeleton);

    /** Frees the session's claim on the nick (no-op when someone else holds it). */
    void release(Session session, Name nick);

    /** Tells the member's roommates on other servers {@code RENAMED <old> <new>}, once each. */
    void renamed(Member member, Name old, Name now);

    /**
     * Sends {@code WHISPER <from> :<text>} to the holder of the nick when this ledger carries whispers between
     * servers: a cluster sends it through the holder's server's log, so that a whisper it accepted survives
     * that server's death. Returns once it was accepted.
     *
     * @return what became of it
     */
    Whisper whisper(Name to, Name from, String text);

    /**
     * What {@link #whisper} did.
     *
     * @param route how the whisper travels
     * @param shown with {@link Route#SENT}, the nick as its holder shows it; else null
     */
    record Whisper(Route route, String shown) {
        /** A single server's answer: its own sessions, conversations and mailboxes are the only ones. */
        public static final Whisper HERE = new Whisper(Route.HERE, null);
        /** No server holds the nick, and none keeps whispers for its account. */
        public static final Whisper NOBODY = new Whisper(Route.NOBODY, null);

        public Whisper {
            if ((route == Route.SENT) != (shown != null)) {
                throw new IllegalArgumentException("a SENT whisper names its recipient, no other does: " + route);
            }
        }

        public static Whisper sent(String shown) {
            return new Whisper(Route.SENT, shown);
        }
    }

    /** How a whisper travels. */
    enum Route {
        /** The ledger sent it to the holder, wherever it is. */
        SENT,
        /** Nobody holds the nick anywhere the ledger knows of, and it keeps no mail: NO_SUCH_NICK. */
        NOBODY,
        /**
         * The ledger does not carry whispers: this server delivers it to its own session, keeps it in the
         * conversation between accounts, or leaves it in an offline account's mailbox.
         */
        HERE
    }

    /** The session of another server holding the nick (by key), as a stand-in whose {@code send} reaches it. */
    Optional<Session> remoteSession(String nickKey);
}
