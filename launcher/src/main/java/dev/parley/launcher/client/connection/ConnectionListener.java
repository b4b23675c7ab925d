package dev.parley.launcher.client.connection;

import dev.parley.core.protocol.Frame;

/**
 * Receives what the server sends that answers no command: events such as {@code MSG}, {@code WHISPER},
 * {@code FILE} and the final {@code BYE}. Calls come in order, one at a time, on the connection's dispatch
 * thread (never MINA's I/O thread): a listener may print or write a file, but while it runs no reply is
 * matched either.
 */
public interface ConnectionListener {

    /** A frame that is neither a final reply nor a data line of the command being answered. */
    default void event(Frame event) {
    }

    /** The connection broke and a {@link ResumingLink} is taking the session back on a new one. */
    default void reconnecting(ConnectionException cause) {
    }

    /** A {@link ResumingLink} took the session back; missed events have been delivered. */
    default void resumed() {
    }

    /**
     * The connection is gone; called once, last.
     *
     * @param cause null after {@link ParleyLink#close()} on our side, else why it ended, as a sentence
     */
    default void closed(ConnectionException cause) {
    }
}
