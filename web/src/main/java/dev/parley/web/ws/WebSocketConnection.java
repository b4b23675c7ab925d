package dev.parley.web.ws;

import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.protocol.ProtocolException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link Connection} over one Jetty WebSocket session, and that session's listener. The protocol is the
 * TCP one with WebSocket messages as the framing: each text message is one line (no line end), and a frame
 * whose {@code size} tag announces {@code n > 0} bytes is a text message followed by one binary message of
 * exactly {@code n} bytes (docs/protocol.md, "WebSocket").
 *
 * <p>Lines are parsed by core's {@link FrameParser}; the limits are the TCP transport's. Reading is on demand
 * (the listener is not auto-demanding), so {@link #suspendInput()} stops Jetty from reading the socket, as
 * MINA's suspendRead does.
 */
public final class WebSocketConnection implements Connection, Session.Listener {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final byte[] SLOW_CONSUMER_BYE = FrameWriter.encode(ByeReason.SLOW_CONSUMER.frame(
            "you did not read what the server sent fast enough; reconnect and read faster"));
    /** How long a connection that was told BYE may take to close before it is cut. */
    private static final long CLOSE_GRACE_MILLIS = 5_000;
    private static final byte[] HANDSHAKE_TIMEOUT_BYE = FrameWriter.encode(ByeReason.TIMEOUT.frame(
            "no command arrived in time after connecting"));

    private final WebSocketTransport transport;
    private final SocketAddress client;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Keeps a frame's text and binary message together when several threads write at once. */
    private final Object sendLock = new Object();
    private final Object demandLock = new Object();
    private volatile Session session;
    private volatile InboundHandler inbound;
    private volatile boolean closing;
    private boolean suspended;    // guarded by demandLock
    private boolean demandOwed;   // guarded by demandLock
    // Read side: Jetty delivers one message at a time (on demand), so these need no lock.
    private Frame awaitingPayload;
    private long awaitedSize;
    private boolean dead;
    /** Closes a connection that sends no line within the handshake timeout; taken by the first line. */
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ScheduledFuture<?>> handshake =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Holds a slot of the transport's limits; set and cleared by the transport (once each). */
    volatile boolean admitted;

    WebSocketConnection(WebSocketTransport transport, SocketAddress client) {
        this.transport = transport;
        this.client = client;
    }

    // ---- Session.Listener: the read side ----

    @Override
    public void onWebSocketOpen(Session opened) {
        this.session = opened;
        byte[] refusal = transport.admit(this);
        if (refusal != null) {
            closing = true;
            sendRaw(refusal);
            closeSession(StatusCode.TRY_AGAIN_LATER, "refused");
            return;
        }
        try {
            inbound = transport.core().connected(this);
        } catch (RuntimeException e) {
            log.error("core refused {}", client, e);
            transport.release(this);
            opened.disconnect();
            return;
        }
        java.time.Duration timeout = transport.settings().handshakeTimeout();
        if (!timeout.isZero()) {
            handshake.set(transport.timer().schedule(this::handshakeTimedOut, timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        demandNext();
    }

    private void handshakeTimedOut() {
        if (handshake.getAndSet(null) != null && !closing) {
            log.debug("closing {}: no line within {}", client, transport.settings().handshakeTimeout());
            closing = true;
            sendRaw(HANDSHAKE_TIMEOUT_BYE);
            closeSession(StatusCode.NORMAL, "TIMEOUT");
        }
    }

    private void lineArrived() {
        java.util.concurrent.ScheduledFuture<?> timer = handshake.getAndSet(null);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void onWebSocketText(String text) {
        InboundHandler in = inbound;
        if (in == null || dead) {
            demandNext();
            return;
        }
        in.activity();
        lineArrived();
        transport.metrics().received(text.length());
        if (awaitingPayload != null) {
            fatal(in, ErrorCode.BAD_SYNTAX, "a binary message with the " + awaitedSize
                    + "-byte payload of the previous line was expected, not a text message");
            return;
        }
        String line = stripLineEnd(text);
        int bytes = utf8Length(line);
        if (bytes > transport.settings().maxLineBytes()) {
            in.malformed(new ProtocolException(ErrorCode.LINE_TOO_LONG, "line of " + bytes + " bytes; at most "
                    + transport.settings().maxLineBytes() + " are allowed"), false);
            demandNext();
            return;
        }
        try {
            Frame frame = FrameParser.parse(line);
            if (frame != null) {
                long size = FrameParser.payloadSize(frame);
                if (size > transport.settings().maxPayloadBytes()) {
                    fatal(in, ErrorCode.PAYLOAD_TOO_LARGE, "payload of " + size + " bytes; at most "
                            + transport.settings().maxPayloadBytes() + " are allowed");
                    return;
                }
                if (size > 0) {
                    awaitingPayload = frame;
                    awaitedSize = size;
                } else if (frame.tag(Frame.TAG_SIZE) != null) {
                    in.frame(withPayload(frame, new byte[0]));
                } else {
                    in.frame(frame);
                }
            }
        } catch (ProtocolException e) {
            in.malformed(e, false);
        }
        demandNext();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        // Copied before the callback: succeeding it hands the buffer back to Jetty's pool.
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        InboundHandler in = inbound;
        if (in == null || dead) {
            demandNext();
            return;
        }
        in.activity();
        transport.metrics().received(bytes.length);
        Frame frame = awaitingPayload;
        if (frame == null) {
            fatal(in, ErrorCode.BAD_SYNTAX, "a binary message must follow a line with a size tag");
            return;
        }
        if (bytes.length != awaitedSize) {
            fatal(in, ErrorCode.BAD_SYNTAX, "the line announced " + awaitedSize + " bytes of payload; the binary"
                    + " message held " + bytes.length);
            return;
        }
        awaitingPayload = null;
        in.frame(withPayload(frame, bytes));
        demandNext();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        demandNext();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        demandNext();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        ended();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("WebSocket error on {}: {}", client, cause.toString());
        ended();
    }

    /**
     * The stream cannot be trusted any more: core answers, says BYE PROTOCOL and closes. Reading goes on, only
     * to see the peer's close frame; every message after this one is dropped.
     */
    private void fatal(InboundHandler in, ErrorCode code, String text) {
        dead = true;
        in.malformed(new ProtocolException(code, text), true);
        demandNext();
    }

    private void ended() {
        if (ended.compareAndSet(false, true)) {
            lineArrived();
            closing = true;
            InboundHandler in = inbound;
            transport.release(this);
            if (in != null) {
                in.closed();
            }
        }
    }

    private void demandNext() {
        synchronized (demandLock) {
            if (suspended) {
                demandOwed = true;
                return;
            }
        }
        session.demand();
    }

    // ---- Connection: the write side ----

    @Override
    public SocketAddress remoteAddress() {
        return client;
    }

    @Override
    public boolean write(byte[] encoded) {
        if (closing) {
            return false;
        }
        if (pending.addAndGet(encoded.length) > transport.settings().maxPendingBytes()) {
            pending.addAndGet(-encoded.length);
            slowConsumer();
            return false;
        }
        synchronized (sendLock) {
            send(encoded);
        }
        return true;
    }

    /** Splits encoded frames into their text and binary messages and queues them with Jetty, in order. */
    private void send(byte[] encoded) {
        Session s = session;
        int pos = 0;
        while (pos < encoded.length) {
            int lf = indexOf(encoded, (byte) '\n', pos);
            int lineEnd = lf < 0 ? encoded.length : lf;
            int size = payloadSize(encoded, pos, lineEnd);
            String line = new String(encoded, pos, lineEnd - pos, StandardCharsets.UTF_8);
            int lineCost = Math.min(encoded.length, lineEnd + 1) - pos;
            s.sendText(line, sent(lineCost));
            pos = Math.min(encoded.length, lineEnd + 1);
            if (size > 0) {
                int n = Math.min(size, encoded.length - pos);
                s.sendBinary(ByteBuffer.wrap(encoded, pos, n).slice(), sent(n));
                pos += n;
            }
        }
    }

    private Callback sent(int bytes) {
        return Callback.from(() -> {
            pending.addAndGet(-bytes);
            transport.metrics().sent(bytes);
        }, failure -> {
            pending.addAndGet(-bytes);
            log.debug("write to {} failed: {}", client, failure.toString());
            closing = true;
            Session s = session;
            if (s != null) {
                s.disconnect();
            }
        });
    }

    /** Sends bytes past the pending limit: a BYE that must go out whatever is queued. */
    private void sendRaw(byte[] encoded) {
        synchronized (sendLock) {
            pending.addAndGet(encoded.length);
            send(encoded);
        }
    }

    private void slowConsumer() {
        if (closing) {
            return;
        }
        closing = true;
        transport.metrics().slowConsumer();
        log.info("closing {}: more than {} bytes queued that it did not read", client,
                transport.settings().maxPendingBytes());
        sendRaw(SLOW_CONSUMER_BYE);
        closeSession(StatusCode.POLICY_VIOLATION, "SLOW_CONSUMER");
    }

    private void closeSession(int status, String reason) {
        Session s = session;
        if (s == null) {
            return;
        }
        s.close(status, reason, Callback.NOOP);
        transport.timer().schedule(() -> {
            if (s.isOpen()) {
                s.disconnect();
            }
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public long pendingBytes() {
        return pending.get();
    }

    @Override
    public void suspendInput() {
        synchronized (demandLock) {
            suspended = true;
        }
    }

    @Override
    public void resumeInput() {
        boolean owed;
        synchronized (demandLock) {
            suspended = false;
            owed = demandOwed;
            demandOwed = false;
        }
        if (owed && session.isOpen()) {
            session.demand();
        }
    }

    @Override
    public void close() {
        closing = true;
        Session s = session;
        if (s != null && s.isOpen()) {
            closeSession(StatusCode.NORMAL, "");
        }
    }

    @Override
    public boolean isOpen() {
        Session s = session;
        return !closing && s != null && s.isOpen();
    }

    @Override
    public String toString() {
        return "WebSocket " + client;
    }

    // ---- helpers ----

    private static Frame withPayload(Frame frame, byte[] payload) {
        return new Frame(frame.tags(), frame.verb(), frame.params(), frame.trailing(), payload);
    }

    /** Drops one trailing LF or CR LF: a client may send a line as it would over TCP. */
    static String stripLineEnd(String text) {
        int end = text.length();
        if (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
            if (end > 0 && text.charAt(end - 1) == '\r') {
                end--;
            }
        }
        return end == text.length() ? text : text.substring(0, end);
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The value of the {@code size} tag of an encoded line, or 0: the tags come first, between a leading
     * {@code @} and the first space, so only that span is looked at.
     */
    static int payloadSize(byte[] line, int from, int to) {
        if (from >= to || line[from] != '@') {
            return 0;
        }
        int tagsEnd = indexOf(line, (byte) ' ', from);
        if (tagsEnd < 0 || tagsEnd > to) {
            tagsEnd = to;
        }
        int i = from + 1;
        while (i < tagsEnd) {
            int end = i;
            while (end < tagsEnd && line[end] != ';') {
                end++;
            }
            if (end - i > 5 && line[i] == 's' && line[i + 1] == 'i' && line[i + 2] == 'z' && line[i + 3] == 'e'
                    && line[i + 4] == '=') {
                long value = 0;
                for (int k = i + 5; k < end; k++) {
                    int digit = line[k] - '0';
                    if (digit < 0 || digit > 9 || value > Integer.MAX_VALUE) {
                        return 0;
                    }
                    value = value * 10 + digit;
                }
                return (int) Math.min(value, Integer.MAX_VALUE);
            }
            i = end + 1;
        }
        return 0;
    }
}
