package dev.parley.transport.mina.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.transport.mina.PayloadArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.mina.core.buffer.IoBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A client's decoder filling payload arrays that a download gave back (PayloadArrays), not fresh ones. */
class PooledPayloadTest {

    @Test
    @DisplayName("a reused array holding an earlier chunk's bytes carries exactly the new payload, arriving in pieces")
    void reusedArrayIsOverwrittenWhole() {
        byte[] stale = new byte[100_000];
        Arrays.fill(stale, (byte) 0x55);
        FrameAssembler assembler = new FrameAssembler(1024, 1 << 20, 1 << 20, n -> n == stale.length ? stale : new byte[n]);
        byte[] payload = new byte[100_000];
        new Random(7).nextBytes(payload);
        byte[] wire = FrameWriter.encode(Frame.of("CHUNK").params("f", "0").payload(payload).build());
        List<Object> out = new ArrayList<>();
        for (int from = 0; from < wire.length; from += 30_000) {
            assembler.feed(IoBuffer.wrap(wire, from, Math.min(30_000, wire.length - from)), out::add);
        }
        assertThat(out).hasSize(1);
        Frame frame = (Frame) out.get(0);
        assertThat(frame.payload()).isSameAs(stale).isEqualTo(payload);
    }

    @Test
    @DisplayName("PayloadArrays hands back a given array for the same length only, and keeps no small ones")
    void poolKeepsLargeArraysOfTheLengthAsked() {
        byte[] large = PayloadArrays.take(256 * 1024);
        PayloadArrays.give(large);
        assertThat(PayloadArrays.take(256 * 1024)).isSameAs(large);

        PayloadArrays.give(large);
        assertThat(PayloadArrays.take(128 * 1024)).isNotSameAs(large).hasSize(128 * 1024);
        assertThat(PayloadArrays.take(256 * 1024)).isNotSameAs(large); // dropped, not kept for later

        byte[] small = new byte[1000];
        PayloadArrays.give(small);
        assertThat(PayloadArrays.take(1000)).isNotSameAs(small);
    }
}
