package dev.parley.transport.mina;

import dev.parley.core.net.ConnectionHandler;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.transport.mina.codec.DecodeError;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits connections within the limit and hands their decoded input to core. Runs on I/O threads: core's
 * {@link InboundHandler} only queues, so no ExecutorFilter is needed in front of it.
 */
final class ServerIoHandler extends IoHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerIoHandler.class);
    private static final AttributeKey INBOUND = new AttributeKey(ServerIoHandler.class, "inbound");

    private final TransportSettings settings;
    private final ConnectionHandler core;
    private final byte[] serverFullBye;
    private final AtomicInteger admitted = new AtomicInteger();

    ServerIoHandler(TransportSettings settings, ConnectionHandler core) {
        this.settings = settings;
        this.core = core;
        this.serverFullBye = FrameWriter.encode(ByeReason.SERVER_FULL.frame("the server is serving its maximum of "
                + settings.maxConnections() + " connections; try again later"));
    }

    /** Core's handler of an admitted session, or null (refused, or closed). */
    static InboundHandler inbound(IoSession session) {
        return (InboundHandler) session.getAttribute(INBOUND);
    }

    int connectionCount() {
        return admitted.get();
    }

    @Override
    public void sessionOpened(IoSession session) {
        if (admitted.incrementAndGet() > settings.maxConnections()) {
            admitted.decrementAndGet();
            log.info("refusing {}: {} connections already", session.getRemoteAddress(), settings.maxConnections());
            session.suspendRead();
            session.write(serverFullBye);
            MinaConnection.closeGracefully(session);
            return;
        }
        InboundHandler inbound;
        try {
            inbound = core.connected(new MinaConnection(session, settings.maxPendingBytes()));
        } catch (RuntimeException e) {
            admitted.decrementAndGet();
            log.error("core refused {}", session.getRemoteAddress(), e);
            session.closeNow();
            return;
        }
        // Set before this I/O thread reads anything from the session, so no input can miss it.
        session.setAttribute(INBOUND, inbound);
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        InboundHandler inbound = (InboundHandler) session.getAttribute(INBOUND);
        if (inbound == null) {
            return; // refused, or already closed
        }
        if (message instanceof Frame frame) {
            inbound.frame(frame);
        } else if (message instanceof DecodeError error) {
            if (error.fatal()) {
                session.suspendRead(); // the decoder discards the rest anyway; core says BYE and closes
            }
            inbound.malformed(error.error(), error.fatal());
        } else {
            log.warn("unexpected decoder output {} from {}", message.getClass().getName(), session.getRemoteAddress());
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        // Removing the attribute makes closed() happen exactly once, and only for admitted sessions.
        InboundHandler inbound = (InboundHandler) session.removeAttribute(INBOUND);
        if (inbound != null) {
            admitted.decrementAndGet();
            inbound.closed();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("I/O error on {}: {}", session.getRemoteAddress(), cause.toString());
        } else {
            log.warn("unexpected error on {}; closing it", session.getRemoteAddress(), cause);
        }
        session.closeNow();
    }
}
