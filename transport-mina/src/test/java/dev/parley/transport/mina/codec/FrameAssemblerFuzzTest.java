package dev.parley.transport.mina.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.core.protocol.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;

/**
 * Coverage-guided fuzzing of the frame assembler: arbitrary bytes, split at the points the fuzzer picks (as TCP
 * may split them), decode exactly as they do in one piece, without an exception and within the limits. In a
 * normal build this replays the inputs saved in {@code FrameAssemblerFuzzTestInputs}; {@code JAZZER_FUZZ=1}
 * fuzzes (see docs/fuzzing.md).
 */
class FrameAssemblerFuzzTest {
    private static final int MAX_LINE = 128;
    private static final int MAX_PAYLOAD = 1024;

    @FuzzTest(maxDuration = "30s")
    void splitAnywhere(FuzzedDataProvider data) {
        int pieces = data.consumeInt(0, 16);
        int[] cuts = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            cuts[i] = data.consumeInt(0, 4096);
        }
        byte[] wire = data.consumeRemainingAsBytes();
        Arrays.sort(cuts);

        List<String> whole = decode(wire, new int[0]);
        List<String> split = decode(wire, cuts);

        assertThat(split).as("the same frames and errors however the bytes are split").isEqualTo(whole);
    }

    /** Decodes the bytes fed in pieces ending at the cuts; each output rendered comparably. */
    private static List<String> decode(byte[] wire, int[] cuts) {
        FrameAssembler assembler = new FrameAssembler(MAX_LINE, MAX_PAYLOAD);
        List<String> outputs = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            int to = Math.min(wire.length, Math.max(from, cut));
            from = feed(assembler, wire, from, to, outputs);
        }
        feed(assembler, wire, from, wire.length, outputs);
        return outputs;
    }

    private static int feed(FrameAssembler assembler, byte[] wire, int from, int to, List<String> outputs) {
        IoBuffer in = IoBuffer.wrap(wire, from, to - from);
        assembler.feed(in, output -> outputs.add(render(output)));
        assertThat(in.hasRemaining()).as("every byte consumed").isFalse();
        assertThat(assembler.lineBufferCapacity()).isLessThanOrEqualTo(Math.max(256, MAX_LINE + 1));
        assertThat(assembler.payloadBufferCapacity()).isLessThanOrEqualTo(Math.max(8 * 1024, MAX_PAYLOAD));
        return to;
    }

    private static String render(Object output) {
        if (output instanceof Frame frame) {
            return frame + " payload=" + Arrays.toString(frame.payload());
        }
        assertThat(output).isInstanceOf(DecodeError.class);
        DecodeError error = (DecodeError) output;
        return "error " + error.error().code() + " fatal=" + error.fatal();
    }
}
