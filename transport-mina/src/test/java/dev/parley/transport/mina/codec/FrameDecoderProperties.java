package dev.parley.transport.mina.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the decoder over generated input, run with a bounded number of tries (a few seconds):
 * it never throws, never holds more than its limits, answers every complete line exactly once, and decodes
 * what FrameWriter encodes.
 */
@Label("FrameDecoder properties")
class FrameDecoderProperties {
    private static final int MAX_LINE = 256;
    private static final int MAX_PAYLOAD = 4096;

    /** Feeds the bytes in chunks of the given sizes (cycled), as TCP may split them. */
    private static DecoderHarness feed(byte[] bytes, List<Integer> chunks) {
        DecoderHarness h = new DecoderHarness(MAX_LINE, MAX_PAYLOAD);
        int pos = 0;
        for (int i = 0; pos < bytes.length; i++) {
            int n = Math.min(bytes.length - pos, chunks.isEmpty() ? bytes.length : chunks.get(i % chunks.size()));
            h.chunk(bytes, pos, n);
            assertThat(h.lineBufferCapacity()).isLessThanOrEqualTo(MAX_LINE + 1);
            pos += n;
        }
        return h;
    }

    @Property(tries = 300)
    @Label("arbitrary bytes, arbitrarily split: no exception, everything consumed, the line buffer stays bounded")
    void neverThrowsAndStaysBounded(@ForAll @Size(max = 3000) byte[] bytes,
                                    @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 700) Integer> chunks) {
        DecoderHarness h = feed(bytes, chunks);
        assertThat(h.outputs).allSatisfy(o -> assertThat(o).isInstanceOfAny(Frame.class, DecodeError.class));
    }

    @Property(tries = 300)
    @Label("every complete non-blank line without a size tag yields exactly one frame or one error")
    void oneOutputPerLine(@ForAll("lines") List<byte[]> lines,
                          @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 300) Integer> chunks) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int expected = 0;
        for (byte[] line : lines) {
            wire.writeBytes(line);
            wire.write('\n');
            if (!isBlank(line)) {
                expected++;
            }
        }
        DecoderHarness h = feed(wire.toByteArray(), chunks);
        assertThat(h.outputs).hasSize(expected);
    }

    /** Empty or only spaces, once a final CR is dropped: ignored by the decoder. */
    private static boolean isBlank(byte[] line) {
        int n = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        for (int i = 0; i < n; i++) {
            if (line[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    /**
     * Lines of bytes the grammar cares about, plus any byte but LF, up to twice the line limit. The letter z is
     * left out so that no line can carry a {@code size} tag, whose payload would swallow the following lines.
     */
    @Provide
    Arbitrary<List<byte[]>> lines() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '@', (byte) ';', (byte) '=', (byte) ':', (byte) ' ',
                (byte) '\r', (byte) 0, (byte) 27, (byte) 127, (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, (byte) 's',
                (byte) 'i', (byte) 'e', (byte) '1', (byte) 'E', (byte) 'C', (byte) 'H', (byte) 'O');
        Arbitrary<Byte> any = Arbitraries.bytes().filter(b -> b != '\n' && b != 'z');
        Arbitrary<byte[]> line = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, interesting), net.jqwik.api.Tuple.of(1, any))
                .list().ofMaxSize(2 * MAX_LINE)
                .map(bytes -> {
                    byte[] out = new byte[bytes.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = bytes.get(i);
                    }
                    return out;
                });
        return line.list().ofMaxSize(20);
    }

    @Property(tries = 300)
    @Label("valid frames round-trip through FrameWriter and the decoder, however the bytes are split")
    void roundTrip(@ForAll("frames") List<Frame> frames,
                   @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 300) Integer> chunks) {
        DecoderHarness h = feed(FrameWriter.encodeAll(frames), chunks);
        assertThat(h.outputs).containsExactlyElementsOf(frames);
    }

    @Provide
    Arbitrary<List<Frame>> frames() {
        Arbitrary<String> word = Arbitraries.strings().withChars("abcXYZ019._-/").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> verb = Arbitraries.strings().withChars("ABCXYZ019._").ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> tagValue = Arbitraries.strings().withChars("abc019:,.!é✓").ofMaxLength(8);
        Arbitrary<Map<String, String>> tags = Arbitraries.maps(word.filter(k -> !k.equals(Frame.TAG_SIZE)), tagValue)
                .ofMaxSize(3).map(LinkedHashMap::new);
        Arbitrary<String> param = Arbitraries.strings().withChars("abc#019:é✓@;=").ofMinLength(1).ofMaxLength(10)
                .filter(p -> !p.startsWith(":"));
        // Whole code points: withChars would split the emoji into lone surrogates, which UTF-8 cannot carry.
        Arbitrary<String> trailing = Arbitraries.of("a", "b", " ", ":", "\t", "@", "é", "✓", "😀").list().ofMaxSize(30)
                .map(parts -> String.join("", parts)).injectNull(0.3);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).injectNull(0.5);
        Arbitrary<Frame> frame = Combinators.combine(tags, verb, param.list().ofMaxSize(4), trailing, payload)
                .as((t, v, p, tr, pl) -> {
                    Frame.Builder b = Frame.of(v).params(p).trailing(tr);
                    t.forEach(b::tag);
                    if (pl != null) {
                        b.payload(pl);
                    }
                    return b.build();
                });
        return frame.list().ofMaxSize(10).map(ArrayList::new);
    }
}
