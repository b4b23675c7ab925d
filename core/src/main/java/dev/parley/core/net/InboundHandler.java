package dev.parley.core.net;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.ProtocolException;

/**
 * Receives what a transport decoded from one connection. Called on I/O threads: implementations only queue
 * the work and return.
 */
public interface InboundHandler {

    /**
     * Bytes arrived on the connection (any number, also part of a line or of a payload still streaming in).
     * Transports call it on every read, before decoding, so that a long upload counts as a sign of life;
     * it must stay cheap (core records the time). Frames and malformed lines count by themselves too.
     */
    default void activity() {
    }

    /** A complete frame (with its payload, if it announced one). */
    void frame(Frame frame);

    /**
     * A line that could not be decoded; it was dropped. Answered {@code ERR * <CODE>} in order with the
     * replies to the frames around it.
     *
     * @param fatal when true the stream cannot be resynchronised: the transport stops decoding this connection,
     *              and core answers, sends {@code BYE PROTOCOL} and closes it
     */
    void malformed(ProtocolException error, boolean fatal);

    /** The connection is closed (by either side). Called exactly once. */
    void closed();

    /**
     * Bytes of this connection's input that core holds and has not run yet (decoded commands with their
     * payloads), for the transport's server-wide memory budget. A snapshot, cheap to call.
     */
    default long queuedInputBytes() {
        return 0;
    }

    /**
     * The transport is cutting this connection off (it says {@code BYE SLOW_CONSUMER} where the socket still
     * takes it, then closes); {@link #closed()} follows. For the counters only: core does nothing else.
     */
    default void cutOff(CutOff cause) {
    }
}
