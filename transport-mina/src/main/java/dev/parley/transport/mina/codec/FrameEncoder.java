package dev.parley.transport.mina.codec;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/**
 * Writes frames to the wire. Accepts {@code byte[]} already encoded by {@link FrameWriter#encode} (the server's
 * common case: one array shared by every recipient of an event, wrapped, never copied) and {@link Frame}
 * (encoded here), and an {@link IoBuffer} wrapping a slice of such an array. Stateless, so one instance serves every session.
 */
public final class FrameEncoder implements ProtocolEncoder {
    /** From this size on a frame's payload is written from its own array rather than copied behind the line. */
    static final int SEPARATE_PAYLOAD_BYTES = 16 * 1024;

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        if (message instanceof byte[] encoded) {
            // Wrapping shares the array; MINA only moves the wrapper's position, never writes into it.
            out.write(IoBuffer.wrap(encoded));
        } else if (message instanceof IoBuffer slice) {
            // A slice of a shared array (see MinaConnection's two-part write): already bytes, pass it on.
            out.write(slice);
        } else if (message instanceof Frame frame && frame.payload() != null
                && frame.payload().length >= SEPARATE_PAYLOAD_BYTES) {
            // A large payload (a file's chunk) goes as it is, behind its line, instead of being copied next to it.
            out.write(IoBuffer.wrap(FrameWriter.encode(new Frame(frame.tags(), frame.verb(), frame.params(),
                    frame.trailing(), null))));
            out.write(IoBuffer.wrap(frame.payload()));
        } else if (message instanceof Frame frame) {
            out.write(IoBuffer.wrap(FrameWriter.encode(frame)));
        } else {
            throw new IllegalArgumentException("cannot encode a " + message.getClass().getName()
                    + "; write a Frame or its encoded bytes");
        }
    }

    @Override
    public void dispose(IoSession session) {
    }
}
