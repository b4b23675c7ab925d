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
    @DisplayName("writes a large payload (a file's chunk) from its own array behind its line, not copied; the decoder reads both back as the frame")
    void largePayloadNotCopied() {
        byte[] payload = new byte[FrameEncoder.SEPARATE_PAYLOAD_BYTES];
        payload[0] = '\n';
        payload[payload.length - 1] = 7;
        Frame frame = Frame.of("CHUNK").tag("id", "c3").params("kq3z5v7mbx2hd4tjw6ypn8ac4e", "0").payload(payload).build();

        encoder.encode(session, frame, out::add);

        assertThat(out).hasSize(2);
        IoBuffer line = (IoBuffer) out.get(0);
        IoBuffer body = (IoBuffer) out.get(1);
        assertThat(body.array()).isSameAs(payload);
        byte[] wire = new byte[line.remaining() + body.remaining()];
        line.get(wire, 0, line.remaining());
        body.get(wire, wire.length - payload.length, payload.length);
        assertThat(wire).isEqualTo(FrameWriter.encode(frame));
        DecoderHarness h = new DecoderHarness(4096, payload.length).feed(DecoderHarness.Feed.ALL_AT_ONCE, wire);
        assertThat(h.outputs).containsExactly(frame);
    }

    @Test
    @DisplayName("refuses anything else")
    void refusesOtherObjects() {
        assertThatThrownBy(() -> encoder.encode(session, "PING\n", out::add))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
