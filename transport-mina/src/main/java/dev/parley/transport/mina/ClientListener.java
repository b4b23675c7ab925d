package dev.parley.transport.mina;

import dev.parley.core.protocol.Frame;

/**
 * Receives what a {@link MinaClient} reads. Calls come in order, from one I/O thread at a time: a listener
 * needs no locking for its own state, but must not block long, or it holds up reading (and, for clients
 * sharing nothing, only that connection).
 */
public interface ClientListener {

    /** A frame from the server, with its payload if it announced one. */
    void frame(Frame frame);

    /**
     * The connection is closed; called once, after the last {@link #frame}.
     *
     * @param cause null when we closed it or the server closed cleanly, else what broke it
     */
    void disconnected(Throwable cause);
}
