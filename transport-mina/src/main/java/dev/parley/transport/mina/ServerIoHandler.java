package dev.parley.transport.mina;

import dev.parley.core.net.ConnectionHandler;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.transport.mina.codec.DecodeError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits connections within the limits and hands their decoded input to core. Runs on I/O threads: core's
 * {@link InboundHandler} only queues, so no ExecutorFilter is needed in front of it.
 */
final class ServerIoHandler extends IoHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerIoHandler.class);
    private static final AttributeKey INBOUND = new AttributeKey(ServerIoHandler.class, "inbound");
    private static final AttributeKey CONNECTION = new AttributeKey(ServerIoHandler.class, "connection");
    private static final AttributeKey ADDRESS = new AttributeKey(ServerIoHandler.class, "address");
    private static final AttributeKey HANDSHAKE = new AttributeKey(ServerIoHandler.class, "handshake");

    private static final byte[] HANDSHAKE_TIMEOUT_BYE = FrameWriter.encode(ByeReason.TIMEOUT.frame(
            "no command arrived in time after connecting"));

    private final TransportSettings settings;
    private final ConnectionHandler core;
    private final ScheduledExecutorService timer;
    private final byte[] serverFullBye;
    private final byte[] perAddressBye;
    private final AtomicInteger admitted = new AtomicInteger();
    /** Admitted connections per remote IP; an entry is removed when its count drops to zero. */
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    ServerIoHandler(TransportSettings settings, ConnectionHandler core, ScheduledExecutorService timer) {
        this.settings = settings;
        this.core = core;
        this.timer = timer;
        this.serverFullBye = FrameWriter.encode(ByeReason.SERVER_FULL.frame("the server is serving its maximum of "
                + settings.maxConnections() + " connections; try again later"));
        this.perAddressBye = FrameWriter.encode(ByeReason.TOO_MANY_CONNECTIONS.frame("your address has "
                + settings.maxConnectionsPerAddress() + " connections open already, the most the server allows"));
    }

    /** Core's handler of an admitted session, or null (refused, or closed). */
    static InboundHandler inbound(IoSession session) {
        return (InboundHandler) session.getAttribute(INBOUND);
    }

    int connectionCount() {
        return admitted.get();
    }

    /** Admitted connections from one address; for tests. */
    int connectionCount(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    @Override
    public void sessionOpened(IoSession session) {
        if (admitted.incrementAndGet() > settings.maxConnections()) {
            admitted.decrementAndGet();
            log.info("refusing {}: {} connections already", session.getRemoteAddress(), settings.maxConnections());
            refuse(session, serverFullBye);
            return;
        }
        InetAddress address = addressOf(session.getRemoteAddress());
        if (!admitAddress(address)) {
            admitted.decrementAndGet();
            log.info("refusing {}: {} connections from that address already", session.getRemoteAddress(),
                    settings.maxConnectionsPerAddress());
            refuse(session, perAddressBye);
            return;
        }
        MinaConnection connection = new MinaConnection(session, settings.maxPendingBytes());
        InboundHandler inbound;
        try {
            inbound = core.connected(connection);
        } catch (RuntimeException e) {
            admitted.decrementAndGet();
            releaseAddress(address);
            log.error("core refused {}", session.getRemoteAddress(), e);
            session.closeNow();
            return;
        }
        if (address != null) {
            session.setAttribute(ADDRESS, address);
        }
        session.setAttribute(CONNECTION, connection);
        // Set before this I/O thread reads anything from the session, so no input can miss it.
        session.setAttribute(INBOUND, inbound);
        if (!settings.handshakeTimeout().isZero()) {
            session.setAttribute(HANDSHAKE, timer.schedule(() -> handshakeTimedOut(session),
                    settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        InboundHandler inbound = (InboundHandler) session.getAttribute(INBOUND);
        if (inbound == null) {
            return; // refused, or already closed
        }
        cancelHandshakeTimer(session);
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
        cancelHandshakeTimer(session);
        // Removing the attribute makes closed() happen exactly once, and only for admitted sessions.
        InboundHandler inbound = (InboundHandler) session.removeAttribute(INBOUND);
        if (inbound != null) {
            admitted.decrementAndGet();
            releaseAddress((InetAddress) session.removeAttribute(ADDRESS));
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

    private void refuse(IoSession session, byte[] bye) {
        session.suspendRead();
        session.write(bye);
        MinaConnection.closeGracefully(session);
    }

    private boolean admitAddress(InetAddress address) {
        int limit = settings.maxConnectionsPerAddress();
        if (limit == 0 || address == null) {
            return true;
        }
        boolean[] ok = {false};
        perAddress.compute(address, (a, count) -> {
            int n = count == null ? 0 : count;
            ok[0] = n < limit;
            return ok[0] ? n + 1 : (count == null ? null : count);
        });
        return ok[0];
    }

    private void releaseAddress(InetAddress address) {
        if (address != null && settings.maxConnectionsPerAddress() > 0) {
            perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
        }
    }

    private void handshakeTimedOut(IoSession session) {
        if (session.removeAttribute(HANDSHAKE) == null) {
            return; // a line arrived meanwhile: messageReceived took the timer
        }
        MinaConnection connection = (MinaConnection) session.getAttribute(CONNECTION);
        if (connection != null && session.getAttribute(INBOUND) != null) {
            log.debug("closing {}: no line within {}", session.getRemoteAddress(), settings.handshakeTimeout());
            session.suspendRead();
            connection.bye(HANDSHAKE_TIMEOUT_BYE);
        }
    }

    private static void cancelHandshakeTimer(IoSession session) {
        if (session.containsAttribute(HANDSHAKE)) {
            ScheduledFuture<?> timeout = (ScheduledFuture<?>) session.removeAttribute(HANDSHAKE);
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
