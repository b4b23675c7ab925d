package dev.parley.transport.mina.codec;

import java.util.function.IntFunction;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Turns the bytes of a connection into {@link dev.parley.core.protocol.Frame}s and {@link DecodeError}s.
 *
 * <p>Streaming and bounded: unlike MINA's {@code CumulativeProtocolDecoder}, which keeps every unread byte,
 * this decoder holds at most {@code maxLineBytes} (plus a CR) of an unfinished line, and a payload only up to
 * {@code maxPayloadBytes}. The per-connection state lives in a session attribute, so one instance serves
 * every session of a connector. (The server keeps the same state, a {@link FrameAssembler}, in a field of the
 * session's {@code InboundState} instead, and decodes in its handler: see {@code ServerIoHandler.messageReceived}.)
 */
public final class FrameDecoder implements ProtocolDecoder {
    private static final AttributeKey STATE = new AttributeKey(FrameDecoder.class, "state");

    private final int maxLineBytes;
    private final int maxPayloadBytes;
    private final int payloadStart;
    private final IntFunction<byte[]> payloadArrays;

    /**
     * @param maxLineBytes    longest line accepted, without CR LF
     * @param maxPayloadBytes largest payload a {@code size} tag may announce; larger is fatal
     */
    public FrameDecoder(int maxLineBytes, int maxPayloadBytes) {
        this(maxLineBytes, maxPayloadBytes, FrameAssembler.PAYLOAD_START);
    }

    /** @param payloadStart least first allocation of a payload (see {@link FrameAssembler}) */
    public FrameDecoder(int maxLineBytes, int maxPayloadBytes, int payloadStart) {
        this(maxLineBytes, maxPayloadBytes, payloadStart, byte[]::new);
    }

    /** @param payloadArrays where payload arrays come from (see {@link FrameAssembler}) */
    public FrameDecoder(int maxLineBytes, int maxPayloadBytes, int payloadStart, IntFunction<byte[]> payloadArrays) {
        if (maxLineBytes < 1 || maxPayloadBytes < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxLineBytes + ", " + maxPayloadBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.payloadStart = payloadStart;
        this.payloadArrays = payloadArrays;
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) {
        FrameAssembler state = (FrameAssembler) session.getAttribute(STATE);
        if (state == null) {
            state = new FrameAssembler(maxLineBytes, maxPayloadBytes, payloadStart, payloadArrays);
            session.setAttribute(STATE, state);
        }
        state.feed(in, out::write);
    }

    /** An unfinished line or payload at end of stream is dropped: the peer cannot be answered anymore. */
    @Override
    public void finishDecode(IoSession session, ProtocolDecoderOutput out) {
    }

    @Override
    public void dispose(IoSession session) {
        session.removeAttribute(STATE);
    }

    /** Bytes of payload buffer the decoder holds for the session (its capacity, not its fill); for tests. */
    static int payloadBufferCapacity(IoSession session) {
        FrameAssembler state = (FrameAssembler) session.getAttribute(STATE);
        return state == null ? 0 : state.payloadBufferCapacity();
    }

    /** Bytes of line buffer the decoder holds for the session (its capacity, not its fill); for tests. */
    static int lineBufferCapacity(IoSession session) {
        FrameAssembler state = (FrameAssembler) session.getAttribute(STATE);
        return state == null ? 0 : state.lineBufferCapacity();
    }
}
