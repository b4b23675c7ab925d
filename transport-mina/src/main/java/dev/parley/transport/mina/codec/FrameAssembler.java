package dev.parley.transport.mina.codec;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.mina.core.buffer.IoBuffer;

/**
 * The decoding state of one connection: the unfinished line, or the payload being collected. Used by one
 * I/O thread at a time (MINA decodes a session under its lock), so it needs no locking of its own.
 *
 * <p>Sized for many idle connections: a line that arrives whole in one read is parsed straight from the read
 * buffer, so the line buffer exists only while a line is split across reads, and is dropped once a read ends
 * on a line boundary; the strict UTF-8 decoder is one per thread, used only for lines with non-ASCII bytes.
 */
public final class FrameAssembler {
    private static final int INITIAL_CAPACITY = 256;
    /**
     * Least first allocation for a payload (more when more of it has arrived already); it doubles up to the
     * announced size as bytes arrive.
     */
    public static final int PAYLOAD_START = 8 * 1024;

    private enum Mode {
        /** Collecting a line. */
        LINE,
        /** Skipping the rest of an over-long line up to its LF (already reported). */
        DISCARD,
        /** Collecting the payload announced by {@link #pending}'s size tag. */
        PAYLOAD,
        /** Skipping the payload announced by a line that was rejected; {@link #skipRemaining} bytes to go. */
        SKIP,
        /** After a fatal error: the stream cannot be resynchronised, every further byte is ignored. */
        DEAD
    }

    private final int maxLineBytes;
    private final int maxPayloadBytes;
    /** Reports malformed input (the JDK's String constructors would replace it silently). */
    private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private Mode mode = Mode.LINE;
    /** The head of a line split across reads; null between lines. */
    private byte[] line;
    private int lineLength;
    private Frame pending;
    private byte[] payload;
    private final int payloadStart;
    /** Where payload arrays come from: new ones, or a client's pool (see MinaClient). */
    private final IntFunction<byte[]> payloadArrays;
    private int payloadFilled;
    private int payloadSize;
    private long skipRemaining;
    /** A size tag found in an over-long line before it was discarded: skip that payload after its LF. */
    private long skipAfterDiscard;

    /**
     * @param maxLineBytes    longest line accepted, without CR LF
     * @param maxPayloadBytes largest payload a {@code size} tag may announce; larger is fatal
     */
    public FrameAssembler(int maxLineBytes, int maxPayloadBytes) {
        this(maxLineBytes, maxPayloadBytes, PAYLOAD_START);
    }

    /**
     * @param payloadStart least first allocation for a payload: {@link #PAYLOAD_START} where a peer could
     *                     announce payloads it never sends (a server); a client of one trusted server passes its
     *                     payload limit, so that each payload is allocated once at its announced size, not grown
     *                     by copying
     */
    public FrameAssembler(int maxLineBytes, int maxPayloadBytes, int payloadStart) {
        this(maxLineBytes, maxPayloadBytes, payloadStart, byte[]::new);
    }

    /**
     * @param payloadArrays gives the array a payload is collected into, of the length asked for; a pool's arrays
     *                      need not be zeroed, since a frame is emitted only once every byte of it arrived
     */
    public FrameAssembler(int maxLineBytes, int maxPayloadBytes, int payloadStart, IntFunction<byte[]> payloadArrays) {
        if (maxLineBytes < 1 || maxPayloadBytes < 0 || payloadStart < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxLineBytes + ", " + maxPayloadBytes
                    + ", " + payloadStart);
        }
        this.maxLineBytes = maxLineBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.payloadStart = payloadStart;
        this.payloadArrays = payloadArrays;
    }

    /**
     * Bytes this assembler holds for a frame not complete yet (the head of a line, a payload's buffer); an
     * estimate for the server's memory budget, which may be read from another thread.
     */
    public long bufferedBytes() {
        byte[] l = line;
        byte[] p = payload;
        return (l != null ? l.length : 0) + (p != null ? p.length : 0);
    }

    /**
     * Consumes every byte of {@code in}, handing each decoded {@link Frame} and {@link DecodeError} to
     * {@code out} as soon as it is complete, in order.
     */
    public void feed(IoBuffer in, Consumer<Object> out) {
        while (in.hasRemaining()) {
            switch (mode) {
                case LINE -> readLine(in, out);
                case DISCARD -> discardLine(in);
                case PAYLOAD -> readPayload(in, out);
                case SKIP -> skipPayload(in);
                case DEAD -> in.position(in.limit());
            }
        }
        if (lineLength == 0) {
            line = null;
        }
    }

    /** Bytes of line buffer held (its capacity, not its fill); for tests. */
    int lineBufferCapacity() {
        return line == null ? 0 : line.length;
    }

    /** Bytes of payload buffer held; for tests. */
    int payloadBufferCapacity() {
        return payload == null ? 0 : payload.length;
    }

    /** Bytes a line may occupy before its LF: the limit plus a CR that is dropped. */
    private int lineLimit() {
        return maxLineBytes + 1;
    }

    private void readLine(IoBuffer in, Consumer<Object> out) {
        int lf = in.indexOf((byte) '\n');
        int count = (lf < 0 ? in.limit() : lf) - in.position();
        if (lineLength + count > lineLimit()) {
            // Fail fast (as Netty's LineBasedFrameDecoder does): report now, skip the rest as it streams in.
            // Discarding rather than closing keeps the connection usable: one bad line costs one ERR.
            // The head of the line is kept up to the limit first, to find a size tag whose payload must be
            // skipped too (else its bytes would be read as lines).
            int head = lineLimit() - lineLength;
            ensureCapacity(lineLimit());
            in.get(line, lineLength, head);
            long announced = SizeTagScanner.scan(line, lineLimit());
            lineLength = 0;
            line = null;
            if (announced > maxPayloadBytes) {
                die(out, announced);
                return;
            }
            out.accept(tooLong());
            long skip = Math.max(0, announced);
            if (lf < 0) {
                in.position(in.limit());
                skipAfterDiscard = skip;
                mode = Mode.DISCARD;
            } else {
                in.position(lf + 1);
                startSkip(skip);
            }
            return;
        }
        if (lineLength == 0 && lf >= 0 && in.hasArray()) {
            // The whole line is in this read: parse it where it is.
            int from = in.arrayOffset() + in.position();
            in.position(lf + 1);
            completeLine(in.array(), from, count, out);
            return;
        }
        ensureCapacity(lineLength + count);
        in.get(line, lineLength, count);
        lineLength += count;
        if (lf >= 0) {
            in.get(); // the LF
            int n = lineLength;
            lineLength = 0;
            completeLine(line, 0, n, out);
        }
    }

    private void discardLine(IoBuffer in) {
        int lf = in.indexOf((byte) '\n');
        if (lf < 0) {
            in.position(in.limit());
        } else {
            in.position(lf + 1);
            mode = Mode.LINE;
            startSkip(skipAfterDiscard);
            skipAfterDiscard = 0;
        }
    }

    private void startSkip(long bytes) {
        if (bytes > 0) {
            skipRemaining = bytes;
            mode = Mode.SKIP;
        }
    }

    private void skipPayload(IoBuffer in) {
        int count = (int) Math.min(in.remaining(), skipRemaining);
        in.position(in.position() + count);
        skipRemaining -= count;
        if (skipRemaining == 0) {
            mode = Mode.LINE;
        }
    }

    private void readPayload(IoBuffer in, Consumer<Object> out) {
        int count = Math.min(in.remaining(), payloadSize - payloadFilled);
        if (payload == null) {
            // Sized by what has arrived, at least payloadStart: announcing a large payload and sending little
            // holds little, and bytes already read need no copy into a larger array later.
            payload = payloadArrays.apply(Math.min(payloadSize, Math.max(payloadStart, count)));
        }
        if (payloadFilled + count > payload.length) {
            payload = Arrays.copyOf(payload, (int) Math.min(payloadSize, Math.max(payloadFilled + count,
                    2L * payload.length)));
        }
        in.get(payload, payloadFilled, count);
        payloadFilled += count;
        if (payloadFilled == payloadSize) {
            Frame frame = pending;
            byte[] bytes = payload;
            pending = null;
            payload = null;
            mode = Mode.LINE;
            out.accept(withPayload(frame, bytes));
        }
    }

    /** The line (without its LF) is {@code bytes[from..from + n)}; it is not read after this returns. */
    private void completeLine(byte[] bytes, int from, int n, Consumer<Object> out) {
        if (n > 0 && bytes[from + n - 1] == '\r') {
            n--;
        }
        if (n > maxLineBytes) {
            reject(out, tooLong(), SizeTagScanner.scan(bytes, from, n));
            return;
        }
        String text;
        try {
            text = text(bytes, from, n);
        } catch (CharacterCodingException e) {
            reject(out, new DecodeError(new ProtocolException(ErrorCode.BAD_ENCODING,
                    "line is not valid UTF-8; it was dropped"), false), SizeTagScanner.scan(bytes, from, n));
            return;
        }
        Frame frame;
        long size;
        try {
            frame = FrameParser.parse(text);
            if (frame == null) {
                return; // blank line
            }
            // A bad size value is reported like any bad line: the client could not have sent a payload for it.
            size = FrameParser.payloadSize(frame);
        } catch (ProtocolException e) {
            // The line is bad for another reason (verb, control character, other tag) but may still announce
            // a payload the client is sending: skip it, or its bytes would be taken for lines.
            reject(out, new DecodeError(e, false), SizeTagScanner.scan(text));
            return;
        }
        if (frame.tag(Frame.TAG_SIZE) == null) {
            out.accept(frame);
        } else if (size > maxPayloadBytes) {
            die(out, size);
        } else if (size == 0) {
            out.accept(withPayload(frame, new byte[0]));
        } else {
            pending = frame;
            // Allocated and grown as the bytes arrive (readPayload).
            payloadSize = (int) size;
            payload = null;
            payloadFilled = 0;
            mode = Mode.PAYLOAD;
        }
    }

    /** Answers a rejected line; skips the payload it announced, or gives up when that is over the limit. */
    private void reject(Consumer<Object> out, DecodeError error, long announcedSize) {
        if (announcedSize > maxPayloadBytes) {
            die(out, announcedSize);
            return;
        }
        out.accept(error);
        startSkip(announcedSize);
    }

    /** The payload cannot be skipped safely (it may hold LFs that look like lines), so the stream is lost. */
    private void die(Consumer<Object> out, long size) {
        mode = Mode.DEAD;
        line = null;
        lineLength = 0;
        out.accept(new DecodeError(new ProtocolException(ErrorCode.PAYLOAD_TOO_LARGE, "payload of " + size
                + " bytes is larger than the limit of " + maxPayloadBytes + " bytes"), true));
    }

    private DecodeError tooLong() {
        return new DecodeError(new ProtocolException(ErrorCode.LINE_TOO_LONG,
                "line longer than " + maxLineBytes + " bytes discarded"), false);
    }

    private void ensureCapacity(int needed) {
        if (line == null) {
            line = new byte[Math.min(Math.max(needed, INITIAL_CAPACITY), lineLimit())];
        } else if (needed > line.length) {
            int capacity = Math.min(Math.max(needed, line.length * 2), lineLimit());
            line = Arrays.copyOf(line, capacity);
        }
    }

    /** ASCII (nearly every line) is copied as it is; anything else goes through the strict decoder. */
    private static String text(byte[] bytes, int from, int n) throws CharacterCodingException {
        for (int i = from, end = from + n; i < end; i++) {
            if (bytes[i] < 0) {
                return STRICT_UTF8.get().decode(ByteBuffer.wrap(bytes, from, n)).toString();
            }
        }
        return new String(bytes, from, n, StandardCharsets.ISO_8859_1);
    }

    private static Frame withPayload(Frame frame, byte[] payload) {
        return new Frame(frame.tags(), frame.verb(), frame.params(), frame.trailing(), payload);
    }
}
