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

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        if (message instanceof byte[] encoded) {
            // Wrapping shares the array; MINA only moves the wrapper's position, never writes into it.
            out.write(IoBuffer.wrap(encoded));
        } else if (message instanceof IoBuffer slice) {
            // A slice of a shared array (see MinaConnection's two-part write): already bytes, pass it on.
            out.write(slice);
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
