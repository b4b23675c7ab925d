package dev.parley.transport.mina;

import dev.parley.core.net.Connection;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.FrameWriter;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Core's view of one accepted MINA session. */
final class MinaConnection implements Connection {
    private static final Logger log = LoggerFactory.getLogger(MinaConnection.class);

    /** How long a closing connection may take to flush before it is closed anyway (a peer that never reads). */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private static final byte[] SLOW_CONSUMER_BYE = FrameWriter.encode(ByeReason.SLOW_CONSUMER.frame(
            "you did not read your messages fast enough; the server stopped queueing them"));

    private final IoSession session;
    private final long maxPendingBytes;
    /** Set once the connection takes no more writes; guarded by this for writes, volatile for readers. */
    private volatile boolean closing;

    MinaConnection(IoSession session, long maxPendingBytes) {
        this.session = session;
        this.maxPendingBytes = maxPendingBytes;
    }

    @Override
    public SocketAddress remoteAddress() {
        return session.getRemoteAddress();
    }

    /**
     * Synchronized so that concurrent writers (several worker threads fanning out events) neither slip a
     * write in after the BYE nor interleave inside MINA's shared per-session encoder output.
     */
    @Override
    public synchronized boolean write(byte[] encoded) {
        if (!admit(encoded.length)) {
            return false;
        }
        session.write(encoded);
        return true;
    }

    /** Two writes back to back under the same lock, so nothing slips between the prefix and the shared body. */
    @Override
    public synchronized boolean write(byte[] prefix, byte[] body, int bodyOffset) {
        if (!admit(prefix.length + body.length - bodyOffset)) {
            return false;
        }
        session.write(prefix);
        session.write(IoBuffer.wrap(body, bodyOffset, body.length - bodyOffset));
        return true;
    }

    /** Whether {@code length} more bytes may be queued; past max-pending-bytes, says BYE and closes. */
    private boolean admit(int length) {
        if (closing || !session.isConnected() || session.isClosing()) {
            return false;
        }
        long pending = session.getScheduledWriteBytes();
        if (pending + length > maxPendingBytes) {
            log.info("closing {}: {} bytes queued that the client does not read (limit {})",
                    session.getRemoteAddress(), pending, maxPendingBytes);
            closing = true;
            session.write(SLOW_CONSUMER_BYE); // past the limit on purpose: the client should learn why
            closeGracefully(session);
            return false;
        }
        return true;
    }

    @Override
    public long pendingBytes() {
        return session.getScheduledWriteBytes();
    }

    @Override
    public void suspendInput() {
        session.suspendRead();
    }

    @Override
    public void resumeInput() {
        session.resumeRead();
    }

    @Override
    public synchronized void close() {
        if (!closing) {
            closing = true;
            closeGracefully(session);
        }
    }

    @Override
    public boolean isOpen() {
        return !closing && session.isConnected() && !session.isClosing();
    }

    @Override
    public String toString() {
        return "connection from " + session.getRemoteAddress();
    }

    /**
     * Closes once everything queued is written; a peer that stops reading would keep the flush (and its
     * memory) forever, so the session is closed anyway after {@link #CLOSE_GRACE}.
     */
    static void closeGracefully(IoSession session) {
        session.closeOnFlush();
        CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (session.isConnected()) {
                log.debug("{} did not flush within {}; closing it", session.getRemoteAddress(), CLOSE_GRACE);
                session.closeNow();
            }
        });
    }
}
