package dev.parley.client;

import dev.parley.core.protocol.Frame;
import java.time.Duration;
import java.util.Optional;

/**
 * Receives what the server sends that answers no command: events such as {@code MSG}, {@code WHISPER},
 * {@code FILE} and the final {@code BYE}. Calls come in order, one at a time, on the connection's dispatch
 * thread (never MINA's I/O thread): a listener may print or write a file, but while it runs no reply is
 * matched either. The reconnection callbacks come from a {@link ReconnectingLink}'s own thread.
 */
public interface ConnectionListener {

    /** A frame that is neither a final reply nor a data line of the command being answered. */
    default void event(Frame event) {
    }

    /**
     * The connection broke (or the last attempt to reconnect failed); a {@link ReconnectingLink} tries again
     * after {@code delay}.
     *
     * @param attempt counts from 1 for each outage
     */
    default void reconnecting(ConnectionException cause, int attempt, Duration delay) {
    }

    /** A {@link ReconnectingLink} took the session back with {@code RESUME}; missed events have been delivered. */
    default void resumed() {
    }

    /**
     * The server no longer knew the session (it restarted, or the resume grace ran out), so a
     * {@link ReconnectingLink} registered the nick again on a new connection. The listener restores what else
     * the session had (its rooms, say) through {@code fresh}, waiting for the answers; commands sent before
     * are resent only after this returns.
     *
     * @throws ConnectionException when {@code fresh} breaks meanwhile: the link tries again later
     */
    default void reregistered(ParleyLink fresh, String nick) throws ConnectionException {
    }

    /**
     * While registering anew, the nick was refused (taken meanwhile, say). Return another to try, or empty to
     * give up: the link then ends with a sentence naming the nick and the server's reason. May block (to ask
     * a person); the link waits.
     */
    default Optional<String> anotherNick(String refused, Reply reply) {
        return Optional.empty();
    }

    /**
     * The connection is gone; called once, last.
     *
     * @param cause null after {@link ParleyLink#close()} on our side, else why it ended, as a sentence
     */
    default void closed(ConnectionException cause) {
    }
}
