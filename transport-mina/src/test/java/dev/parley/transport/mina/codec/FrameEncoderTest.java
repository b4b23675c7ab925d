package dev.parley.transport.mina.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FrameEncoder")
class FrameEncoderTest {
    private final FrameEncoder encoder = new FrameEncoder();
    private final DummySession session = new DummySession();
    private final List<Object> out = new ArrayList<>();

    @Test
    @DisplayName("wraps pre-encoded bytes without copying them")
    void sharesEncodedBytes() {
        byte[] encoded = FrameWriter.encode(Frame.of("MSG").param("#r").trailing("hi").build());

        encoder.encode(session, encoded, out::add);

        IoBuffer buffer = (IoBuffer) out.get(0);
        assertThat(buffer.array()).isSameAs(encoded);
        assertThat(buffer.remaining()).isEqualTo(encoded.length);
    }

    @Test
    @DisplayName("encodes a frame with its payload, which the decoder reads back")
    void encodesFrames() {
        Frame frame = Frame.of("PUT").tag("id", "1").param("f").payload(new byte[] {1, '\n', (byte) 200}).build();

        encoder.encode(session, frame, out::add);

        IoBuffer buffer = (IoBuffer) out.get(0);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        DecoderHarness h = new DecoderHarness(4096, 1024).feed(DecoderHarness.Feed.BYTE_BY_BYTE, bytes);
        assertThat(h.outputs).containsExactly(frame);
    }

    @Test
    @DisplayName("refuses anything else")
    void refusesOtherObjects() {
        assertThatThrownBy(() -> encoder.encode(session, "PING\n", out::add))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
