package dev.parley.transport.mina;

import dev.parley.core.net.ConnectionHandler;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.transport.mina.codec.DecodeError;
import dev.parley.transport.mina.codec.FrameAssembler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.mina.core.buffer.IoBuffer;
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
    /** The one attribute of ours on an admitted session: everything else per connection is a field of it. */
    private static final AttributeKey STATE = new AttributeKey(ServerIoHandler.class, "state");

    private static final byte[] HANDSHAKE_TIMEOUT_BYE = FrameWriter.encode(ByeReason.TIMEOUT.frame(
            "no command arrived in time after connecting"));

    private final TransportSettings settings;
    private final ConnectionHandler core;
    private final ScheduledExecutorService timer;
    private final byte[] serverFullBye;
    private final byte[] perAddressBye;
    private final AtomicInteger admitted = new AtomicInteger();
    /** Bytes the connections wrote into their sockets themselves (MINA counts only its own writes). */
    private final LongAdder directlyWritten = new LongAdder();
    /** Admitted connections per remote IP; an entry is removed when its count drops to zero. */
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /** Bytes written into sockets by connections directly, beside MINA's own writes. */
    long directlyWritten() {
        return directlyWritten.sum();
    }

    ServerIoHandler(TransportSettings settings, ConnectionHandler core, ScheduledExecutorService timer) {
        this.settings = settings;
        this.core = core;
        this.timer = timer;
        this.serverFullBye = FrameWriter.encode(ByeReason.SERVER_FULL.frame("the server is serving its maximum of "
                + settings.maxConnections() + " connections; try again later"));
        this.perAddressBye = FrameWriter.encode(ByeReason.TOO_MANY_CONNECTIONS.frame("your address"
                + (settings.ipv6PrefixLength() < 128 ? " (for IPv6, its /" + settings.ipv6PrefixLength() + " network)" : "")
                + " has " + settings.maxConnectionsPerAddress() + " connections open already, the most the server allows"));
    }

    /** The read side of an admitted session, or null (refused). */
    static InboundState state(IoSession session) {
        return (InboundState) session.getAttribute(STATE);
    }

    /** The connection of an admitted session, or null (refused). */
    static MinaConnection connection(IoSession session) {
        InboundState state = state(session);
        return state == null ? null : state.connection();
    }

    int connectionCount() {
        return admitted.get();
    }

    /** Admitted connections from one address; for tests. */
    int connectionCount(InetAddress address) {
        return perAddress.getOrDefault(AddressPrefix.of(address, settings.ipv6PrefixLength()), 0);
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
        MinaConnection connection = new MinaConnection(session, settings.maxPendingBytes(), directlyWritten);
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
        // Both set before this I/O thread reads anything from the session, so no input can miss them.
        InboundState state = new InboundState(connection,
                new FrameAssembler(settings.maxLineBytes(), settings.maxPayloadBytes()), address);
        state.admitted(inbound);
        session.setAttribute(STATE, state);
        if (!settings.handshakeTimeout().isZero()) {
            state.handshakeTimer(timer.schedule(() -> handshakeTimedOut(state),
                    settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Bytes read from the session (clear text: TLS, when on, sits in front): every read is a sign of life for
     * core (the heartbeat must not time out an upload in progress), then the connection's own
     * {@link FrameAssembler} turns them into frames and decode errors, each handed to core as it completes.
     *
     * <p>Decoding here rather than in a codec filter is for idle connections: MINA builds a filter chain per
     * session, and each filter in it costs an entry, a context and a map node (about 170 bytes), plus, for its
     * {@code ProtocolCodecFilter}, an output queue and decoder state in the session's attribute map.
     */
    @Override
    public void messageReceived(IoSession session, Object message) {
        InboundState state = state(session);
        InboundHandler inbound = state == null ? null : state.handler();
        if (inbound == null || !(message instanceof IoBuffer in) || state.connection().isClosing()) {
            // Refused, or closing (read on only so that the close is not a reset: see MinaConnection.closeWritten); nothing
            // but bytes reaches the end of this chain.
            return;
        }
        inbound.activity();
        FrameAssembler decoder = state.decoder();
        // MINA reads a session on one thread at a time; the lock (never contended) keeps that promise should a
        // filter in front (TLS) ever deliver from another thread.
        synchronized (decoder) {
            decoder.feed(in, decoded -> decoded(state, inbound, decoded));
        }
    }

    private void decoded(InboundState state, InboundHandler inbound, Object message) {
        cancelHandshakeTimer(state);
        if (message instanceof Frame frame) {
            inbound.frame(frame);
        } else if (message instanceof DecodeError error) {
            if (error.fatal()) {
                state.connection().session().suspendRead(); // the decoder discards the rest anyway; core says BYE and closes
            }
            inbound.malformed(error.error(), error.fatal());
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        ended(session);
    }

    /**
     * The peer shut down its sending side (or closed the socket): nothing more will arrive, but it may still be
     * reading. Core learns it behind the commands already decoded, answers each of them, and then closes the
     * connection, so that a client piping commands into {@code nc -N} gets every answer (MINA's default closes
     * the session at once). When the peer closed entirely, those writes fail and the session just closes.
     */
    @Override
    public void inputClosed(IoSession session) {
        InboundState state = state(session);
        if (state == null || state.handler() == null || state.connection().isClosing()) {
            session.closeNow(); // refused, already over for core, or lingering after the last write: nothing to answer
            return;
        }
        session.suspendRead(); // else the selector reports the end of the stream again at every select
        ended(session);
    }

    /**
     * The connection is over for core and the limits: at its close, or earlier, when the server has written its
     * last bytes and only lingers for the peer to close (MinaConnection.closeWritten), so that a nick or an
     * address slot is free again at once, as when the socket closed right away. Idempotent.
     */
    void ended(IoSession session) {
        InboundState state = state(session);
        if (state == null) {
            return; // refused: never counted, never reached core
        }
        cancelHandshakeTimer(state);
        // Taking the handler makes closed() happen exactly once.
        InboundHandler inbound = state.takeHandler();
        if (inbound != null) {
            admitted.decrementAndGet();
            releaseAddress(state.address());
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
        MinaConnection.writeAndClose(session, IoBuffer.wrap(bye)); // already encoded; the chain has no encoder
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

    private void handshakeTimedOut(InboundState state) {
        if (state.takeHandshakeTimer() == null) {
            return; // a line arrived meanwhile: messageReceived took the timer
        }
        MinaConnection connection = state.connection();
        if (state.handler() != null) {
            IoSession session = connection.session();
            log.debug("closing {}: no line within {}", session.getRemoteAddress(), settings.handshakeTimeout());
            session.suspendRead();
            connection.bye(HANDSHAKE_TIMEOUT_BYE);
        }
    }

    private static void cancelHandshakeTimer(InboundState state) {
        ScheduledFuture<?> timeout = state.takeHandshakeTimer();
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    /** What the per-address limit counts by: the IPv4 address, or the IPv6 address's prefix (see AddressPrefix). */
    private InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? AddressPrefix.of(inet.getAddress(), settings.ipv6PrefixLength()) : null;
    }
}
