package dev.parley.transport.mina.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/** Feeds bytes to a {@link FrameDecoder} on an in-memory session and collects what it emits. */
final class DecoderHarness {

    /** How bytes reach the decoder: the two extremes of TCP segmentation. */
    enum Feed {
        ALL_AT_ONCE, BYTE_BY_BYTE
    }

    final FrameDecoder decoder;
    final DummySession session = new DummySession();
    final List<Object> outputs = new ArrayList<>();
    private final ProtocolDecoderOutput out = new ProtocolDecoderOutput() {
        @Override
        public void write(Object message) {
            outputs.add(message);
        }

        @Override
        public void flush(NextFilter nextFilter, IoSession session) {
        }
    };

    DecoderHarness(int maxLineBytes, int maxPayloadBytes) {
        decoder = new FrameDecoder(maxLineBytes, maxPayloadBytes);
    }

    DecoderHarness feed(Feed how, byte[] bytes) {
        if (how == Feed.ALL_AT_ONCE) {
            chunk(bytes, 0, bytes.length);
        } else {
            for (int i = 0; i < bytes.length; i++) {
                chunk(bytes, i, 1);
            }
        }
        return this;
    }

    DecoderHarness feed(Feed how, String text) {
        return feed(how, text.getBytes(StandardCharsets.UTF_8));
    }

    void chunk(byte[] bytes, int offset, int length) {
        chunk(IoBuffer.wrap(bytes, offset, length));
    }

    void chunk(IoBuffer in) {
        decoder.decode(session, in, out);
        // MINA's codec filter calls decode again while bytes remain; a decoder that leaves some would spin.
        assertThat(in.hasRemaining()).as("decoder consumed the whole buffer").isFalse();
    }

    int payloadBufferCapacity() {
        return FrameDecoder.payloadBufferCapacity(session);
    }

    int lineBufferCapacity() {
        return FrameDecoder.lineBufferCapacity(session);
    }
}
