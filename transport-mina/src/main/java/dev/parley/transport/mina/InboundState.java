package dev.parley.transport.mina;

import dev.parley.core.net.InboundHandler;
import dev.parley.transport.mina.codec.FrameAssembler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.util.concurrent.ScheduledFuture;

/**
 * What the server keeps to read one admitted session: its decoder state, core's handler, the handshake timer
 * and the address counted against the per-address limit, in plain fields of the session's one attribute
 * rather than in several entries of MINA's per-session attribute map (which 10,000 idle connections pay for
 * all the time).
 */
final class InboundState {
    private static final VarHandle HANDLER;
    private static final VarHandle HANDSHAKE_TIMER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HANDLER = lookup.findVarHandle(InboundState.class, "handler", InboundHandler.class);
            HANDSHAKE_TIMER = lookup.findVarHandle(InboundState.class, "handshakeTimer", ScheduledFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MinaConnection connection;
    private final FrameAssembler decoder;
    /** The remote IP as counted against max-connections-per-address; null when it is not an IP. */
    private final InetAddress address;
    /** Core's handler once admitted; taken (set to null) exactly once when the session closes. */
    @SuppressWarnings("unused") // through HANDLER
    private volatile InboundHandler handler;
    /** Until the first line arrives; taken exactly once, by that line or by the timer itself. */
    @SuppressWarnings("unused") // through HANDSHAKE_TIMER
    private volatile ScheduledFuture<?> handshakeTimer;

    InboundState(MinaConnection connection, FrameAssembler decoder, InetAddress address) {
        this.connection = connection;
        this.decoder = decoder;
        this.address = address;
    }

    MinaConnection connection() {
        return connection;
    }

    FrameAssembler decoder() {
        return decoder;
    }

    InetAddress address() {
        return address;
    }

    /** Core's handler; null before core admitted the connection and after it closed. */
    InboundHandler handler() {
        return (InboundHandler) HANDLER.getVolatile(this);
    }

    void admitted(InboundHandler inbound) {
        HANDLER.setVolatile(this, inbound);
    }

    /** Core's handler, for the one caller that reports the close; null for every later caller. */
    InboundHandler takeHandler() {
        return (InboundHandler) HANDLER.getAndSet(this, (InboundHandler) null);
    }

    void handshakeTimer(ScheduledFuture<?> timer) {
        HANDSHAKE_TIMER.setVolatile(this, timer);
    }

    /** The pending handshake timer, for the one caller that ends it; null for every later caller. */
    ScheduledFuture<?> takeHandshakeTimer() {
        // Every frame asks, and after the first line there is nothing to take: a plain read spares the swap.
        if (HANDSHAKE_TIMER.getVolatile(this) == null) {
            return null;
        }
        return (ScheduledFuture<?>) HANDSHAKE_TIMER.getAndSet(this, (ScheduledFuture<?>) null);
    }
}
