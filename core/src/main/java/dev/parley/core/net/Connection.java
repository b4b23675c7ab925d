package dev.parley.core.net;

import java.net.SocketAddress;

/**
 * One client connection as core sees it; implemented by a transport. Every method is thread-safe and
 * non-blocking.
 */
public interface Connection {

    SocketAddress remoteAddress();

    /**
     * Queues encoded frame bytes (see {@link dev.parley.core.protocol.FrameWriter}) for writing. The array is
     * shared between recipients and must not be changed. If the bytes queued for this connection exceed the
     * transport's {@code max-pending-bytes}, the transport sends {@code BYE SLOW_CONSUMER} and closes it.
     *
     * @return false when the bytes were not queued (connection closed or closing)
     */
    boolean write(byte[] encoded);

    /** Bytes queued for writing and not yet handed to the socket. */
    long pendingBytes();

    /** Stops reading from the socket (back-pressure when the session's inbox is full). */
    void suspendInput();

    /** Reads again after {@link #suspendInput()}. */
    void resumeInput();

    /** Closes once everything queued so far is written (or a short grace has passed). */
    void close();

    boolean isOpen();
}
