package dev.parley.core.server;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Reply;

/**
 * Told about every command dispatched, data line written and final reply a session writes: one call per command (also for unknown verbs, refused and
 * rate-limited ones, and {@code ERR *} for malformed lines), so that a metrics module can count commands by
 * verb and result without core depending on it. Set with {@link ServerCore#observeCommands}.
 *
 * <p>Called on the thread that writes the reply (a worker, or an I/O thread for early refusals): it must be
 * cheap and must not block. It sees the verb as the client wrote it (upper case) and never the arguments,
 * which may hold a password or a resume token.
 */
@FunctionalInterface
public interface CommandObserver {

    /** Observes nothing: what core runs when no one observes. */
    CommandObserver NONE = (verb, reply) -> { };

    /**
     * @param verb  the command's verb, {@code *} for a line that could not be decoded
     * @param reply the final reply written for it
     */
    void replied(String verb, Reply reply);

    /**
     * A decoded command is about to be dispatched (before any check). For counting bytes such as uploaded
     * payloads; must not keep the frame.
     */
    default void dispatched(Frame command) {
    }

    /** A data line of a command's answer was written (e.g. a FETCH chunk); must not keep the frame. */
    default void dataLine(Frame line) {
    }
}
