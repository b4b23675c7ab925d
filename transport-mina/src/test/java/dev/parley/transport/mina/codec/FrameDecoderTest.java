package dev.parley.transport.mina.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.transport.mina.codec.DecoderHarness.Feed;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mina.core.buffer.IoBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("FrameDecoder")
class FrameDecoderTest {
    private static final int MAX_LINE = 4096;
    private static final int MAX_PAYLOAD = 1024 * 1024;

    private static DecoderHarness harness() {
        return new DecoderHarness(MAX_LINE, MAX_PAYLOAD);
    }

    private static Frame frame(Object output) {
        assertThat(output).isInstanceOf(Frame.class);
        return (Frame) output;
    }

    private static void assertError(Object output, ErrorCode code, boolean fatal) {
        assertThat(output).isInstanceOf(DecodeError.class);
        DecodeError error = (DecodeError) output;
        assertThat(error.error().code()).isEqualTo(code);
        assertThat(error.fatal()).isEqualTo(fatal);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("decodes lines")
    class Lines {

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("several frames in one buffer, ended by LF or CRLF")
        void severalFrames(Feed feed) {
            DecoderHarness h = harness().feed(feed, "PING\nSAY #room :hi there\r\nquit\r\n");

            assertThat(h.outputs).containsExactly(
                    Frame.of("PING").build(),
                    Frame.of("SAY").param("#room").trailing("hi there").build(),
                    Frame.of("QUIT").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("tags, in order, with and without values")
        void tags(Feed feed) {
            DecoderHarness h = harness().feed(feed, "@id=x7;urgent ECHO a b\n");

            Frame f = frame(h.outputs.get(0));
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("id", "x7");
            expected.put("urgent", "");
            assertThat(f.tags()).containsExactlyEntriesOf(expected);
            assertThat(f.params()).containsExactly("a", "b");
            assertThat(f.payload()).isNull();
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("trailing with spaces kept verbatim, and an empty trailing")
        void trailing(Feed feed) {
            DecoderHarness h = harness().feed(feed, "SAY #r :  two  spaces \nSAY #r :\n");

            assertThat(frame(h.outputs.get(0)).trailing()).isEqualTo("  two  spaces ");
            assertThat(frame(h.outputs.get(1)).trailing()).isEmpty();
            assertThat(h.outputs).hasSize(2);
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("UTF-8 characters split across reads")
        void multiByteCharacters(Feed feed) {
            DecoderHarness h = harness().feed(feed, "SAY #café :héllo wörld ✓ 😀\n");

            Frame f = frame(h.outputs.get(0));
            assertThat(f.params()).containsExactly("#café");
            assertThat(f.trailing()).isEqualTo("héllo wörld ✓ 😀");
        }

        @Test
        @DisplayName("a frame decoded straight from the read buffer keeps its text when that buffer is reused")
        void decodedFromReadBufferIsCopied() {
            DecoderHarness h = harness();
            byte[] read = utf8("SAY #r :first\n");
            h.chunk(read, 0, read.length);
            Arrays.fill(read, (byte) 'z');

            assertThat(h.outputs).containsExactly(Frame.of("SAY").param("#r").trailing("first").build());
        }

        @Test
        @DisplayName("a read buffer that is a slice of a larger array decodes from the slice's own start")
        void sliceOfLargerArray() {
            byte[] whole = utf8("XX\nPING\nSAY #r :é\nYYYY");
            IoBuffer slice = IoBuffer.wrap(whole, 3, whole.length - 7).slice();
            DecoderHarness h = harness();
            h.chunk(slice);

            assertThat(slice.arrayOffset()).isEqualTo(3);
            assertThat(h.outputs).containsExactly(Frame.of("PING").build(),
                    Frame.of("SAY").param("#r").trailing("é").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("blank lines are ignored")
        void blankLines(Feed feed) {
            DecoderHarness h = harness().feed(feed, "\n   \r\n\r\nPING\n");

            assertThat(h.outputs).containsExactly(Frame.of("PING").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("a line of exactly max-line-bytes is accepted, with LF or CRLF")
        void lineAtTheLimit(Feed feed) {
            String line = "SAY :" + "x".repeat(MAX_LINE - 5);
            assertThat(utf8(line)).hasSize(MAX_LINE);

            DecoderHarness h = harness().feed(feed, line + "\n" + line + "\r\n");

            assertThat(h.outputs).hasSize(2).allSatisfy(o -> assertThat(frame(o).trailing()).hasSize(MAX_LINE - 5));
        }
    }

    @Nested
    @DisplayName("collects payloads")
    class Payloads {

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("a payload holding LF, CR and bytes >= 0x80, then the next frame")
        void binaryPayload(Feed feed) {
            byte[] payload = {'a', '\n', (byte) 0x80, (byte) 0xff, '\r', '\n', 0, 'z'};
            byte[] wire = concat(utf8("@size=8 FILE.DATA 7\n"), payload, utf8("PING\n"));

            DecoderHarness h = harness().feed(feed, wire);

            assertThat(h.outputs).hasSize(2);
            Frame data = frame(h.outputs.get(0));
            assertThat(data.verb()).isEqualTo("FILE.DATA");
            assertThat(data.params()).containsExactly("7");
            assertThat(data.payload()).containsExactly(payload);
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }

        @Test
        @DisplayName("a payload arriving in uneven pieces, back to back with more frames")
        void payloadAcrossReads() {
            byte[] payload = new byte[70_000];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 31);
            }
            Frame sent = Frame.of("PUT").param("f").payload(payload).build();
            byte[] wire = FrameWriter.encodeAll(List.of(sent, Frame.of("PING").build(), sent));
            DecoderHarness h = harness();

            for (int pos = 0, step = 1; pos < wire.length; pos += step, step = step * 3 % 9973 + 1) {
                h.chunk(wire, pos, Math.min(step, wire.length - pos));
            }

            assertThat(h.outputs).containsExactly(sent, Frame.of("PING").build(), sent);
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("size=0 gives an empty payload")
        void emptyPayload(Feed feed) {
            DecoderHarness h = harness().feed(feed, "@size=0 PUT f\nPING\n");

            assertThat(frame(h.outputs.get(0)).payload()).isEmpty();
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }
    }

    @Nested
    @DisplayName("reports bad input")
    class Errors {

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("a 200 kB line: exactly one LINE_TOO_LONG, then the next frame decodes")
        void lineTooLong(Feed feed) {
            DecoderHarness h = harness().feed(feed, "SAY :" + "a".repeat(200_000) + "\nPING\n");

            assertThat(h.outputs).hasSize(2);
            assertError(h.outputs.get(0), ErrorCode.LINE_TOO_LONG, false);
            assertThat(((DecodeError) h.outputs.get(0)).error().getMessage())
                    .isEqualTo("line longer than 4096 bytes discarded");
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("one byte over the limit is too long")
        void oneByteOver(Feed feed) {
            DecoderHarness h = harness().feed(feed, "SAY :" + "x".repeat(MAX_LINE - 4) + "\r\nPING\n");

            assertError(h.outputs.get(0), ErrorCode.LINE_TOO_LONG, false);
            assertThat(h.outputs).hasSize(2);
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("invalid UTF-8: BAD_ENCODING, then the next frame decodes")
        void badEncoding(Feed feed) {
            byte[] wire = concat(utf8("SAY :"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, utf8("\nPING\n"));

            DecoderHarness h = harness().feed(feed, wire);

            assertThat(h.outputs).hasSize(2);
            assertError(h.outputs.get(0), ErrorCode.BAD_ENCODING, false);
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("bad tag and bad size value: BAD_SYNTAX, not fatal")
        void badSyntax(Feed feed) {
            DecoderHarness h = harness().feed(feed, "@=x ECHO\n@size=12a PUT\nPING\n");

            assertThat(h.outputs).hasSize(3);
            assertError(h.outputs.get(0), ErrorCode.BAD_SYNTAX, false);
            assertError(h.outputs.get(1), ErrorCode.BAD_SYNTAX, false);
            assertThat(h.outputs.get(2)).isEqualTo(Frame.of("PING").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("a size over max-payload-bytes is fatal and nothing decodes after it")
        void payloadTooLarge(Feed feed) {
            byte[] wire = concat(utf8("@size=" + (MAX_PAYLOAD + 1) + " PUT f\n"), new byte[5000], utf8("\nPING\nPING\n"));

            DecoderHarness h = harness().feed(feed, wire);

            assertThat(h.outputs).hasSize(1);
            assertError(h.outputs.get(0), ErrorCode.PAYLOAD_TOO_LARGE, true);
        }
    }

    @Nested
    @DisplayName("skips the payload a rejected line announced")
    class RejectedPayloads {
        /** A payload full of LFs and things that look like commands: none of it may decode as a line. */
        private final byte[] payload = utf8("QUIT\nECHO x\n\n@id=1 PING\n");

        private byte[] wire(String line) {
            return concat(utf8(line.replace("N", Integer.toString(payload.length))), payload, utf8("PING\n"));
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("a bad verb with a valid size: one BAD_SYNTAX, the payload skipped, the next frame decodes")
        void badVerb(Feed feed) {
            DecoderHarness h = harness().feed(feed, wire("@size=N;id=7 PU/T f\n"));

            assertThat(h.outputs).hasSize(2);
            assertError(h.outputs.get(0), ErrorCode.BAD_SYNTAX, false);
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("an ESC in the trailing of a line with a size: BAD_SYNTAX, payload skipped")
        void controlCharacter(Feed feed) {
            DecoderHarness h = harness().feed(feed, wire("@size=N PUT f :\u001b[31mred\n"));

            assertThat(h.outputs).hasSize(2);
            assertError(h.outputs.get(0), ErrorCode.BAD_SYNTAX, false);
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("invalid UTF-8 in a line with a size: BAD_ENCODING, payload skipped")
        void badEncoding(Feed feed) {
            byte[] line = concat(utf8("@size=" + payload.length + " PUT :"), new byte[] {(byte) 0xFF, '\n'});
            DecoderHarness h = harness().feed(feed, concat(line, payload, utf8("PING\n")));

            assertThat(h.outputs).hasSize(2);
            assertError(h.outputs.get(0), ErrorCode.BAD_ENCODING, false);
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("an over-long line with a size: one LINE_TOO_LONG, payload skipped")
        void tooLong(Feed feed) {
            DecoderHarness h = harness().feed(feed, wire("@size=N PUT :" + "x".repeat(3 * MAX_LINE) + "\n"));

            assertThat(h.outputs).hasSize(2);
            assertError(h.outputs.get(0), ErrorCode.LINE_TOO_LONG, false);
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("a bad line announcing more than max-payload-bytes is fatal: nothing can be skipped safely")
        void tooLargeToSkip(Feed feed) {
            DecoderHarness h = harness().feed(feed, "@size=10737418240 BAD/VERB\nPING\n");

            assertThat(h.outputs).hasSize(1);
            assertError(h.outputs.get(0), ErrorCode.PAYLOAD_TOO_LARGE, true);
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("a size that is not a whole number announces nothing: the following bytes are lines")
        void unparsableSize(Feed feed) {
            DecoderHarness h = harness().feed(feed, "@size=-5 PUT\n@size=1e3 PUT\nPING\n");

            assertThat(h.outputs).hasSize(3);
            assertError(h.outputs.get(0), ErrorCode.BAD_SYNTAX, false);
            assertError(h.outputs.get(1), ErrorCode.BAD_SYNTAX, false);
            assertThat(h.outputs.get(2)).isEqualTo(Frame.of("PING").build());
        }
    }

    @Nested
    @DisplayName("stays bounded")
    class Memory {

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("a line buffer exists only while a line is split across reads")
        void lineBufferOnlyWhileSplit(Feed feed) {
            DecoderHarness h = harness().feed(feed, "NICK ann\nJOIN #lobby\r\n");
            assertThat(h.lineBufferCapacity()).isZero();

            h.feed(feed, "SAY #lobby :half");
            assertThat(h.lineBufferCapacity()).isPositive();
            h.feed(feed, " and the rest\n");

            assertThat(h.lineBufferCapacity()).isZero();
            assertThat(h.outputs).containsExactly(Frame.of("NICK").param("ann").build(),
                    Frame.of("JOIN").param("#lobby").build(),
                    Frame.of("SAY").param("#lobby").trailing("half and the rest").build());
        }

        @Test
        @DisplayName("streaming a 50 MB line never buffers more than max-line-bytes + 1")
        void fiftyMegabyteLine() {
            DecoderHarness h = harness();
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            h.chunk(utf8("SAY :"), 0, 5);
            int maxSeen = h.lineBufferCapacity();
            for (long sent = 0; sent < 50L * 1024 * 1024; sent += chunk.length) {
                h.chunk(chunk, 0, chunk.length);
                maxSeen = Math.max(maxSeen, h.lineBufferCapacity());
            }
            h.feed(Feed.ALL_AT_ONCE, "\nPING\n");

            assertThat(maxSeen).isGreaterThan(0).isLessThanOrEqualTo(MAX_LINE + 1);
            assertThat(h.outputs).hasSize(2);
            assertError(h.outputs.get(0), ErrorCode.LINE_TOO_LONG, false);
            assertThat(h.outputs.get(1)).isEqualTo(Frame.of("PING").build());
        }

        @Test
        @DisplayName("an announced payload is allocated as its bytes arrive, not when it is announced")
        void payloadGrowsAsItArrives() {
            DecoderHarness h = harness();
            h.feed(Feed.ALL_AT_ONCE, "@size=" + MAX_PAYLOAD + " PUT f\n" + "p".repeat(100));
            assertThat(h.payloadBufferCapacity()).isLessThanOrEqualTo(8 * 1024);

            byte[] rest = new byte[MAX_PAYLOAD - 100];
            h.chunk(rest, 0, 300_000);
            assertThat(h.payloadBufferCapacity()).isBetween(300_100, MAX_PAYLOAD);
            h.chunk(rest, 300_000, rest.length - 300_000);

            assertThat(frame(h.outputs.get(0)).payload()).hasSize(MAX_PAYLOAD);
            assertThat(h.payloadBufferCapacity()).isZero();
        }

        @Test
        @DisplayName("a large limit grows the buffer only as far as the line needs, and gives it back")
        void growsAndShrinks() {
            DecoderHarness h = new DecoderHarness(1024 * 1024, MAX_PAYLOAD);
            h.feed(Feed.ALL_AT_ONCE, "SAY :" + "b".repeat(100_000));
            assertThat(h.lineBufferCapacity()).isBetween(100_005, 2 * 100_005);

            h.feed(Feed.ALL_AT_ONCE, "\n");

            assertThat(h.lineBufferCapacity()).isLessThanOrEqualTo(256);
            assertThat(frame(h.outputs.get(0)).trailing()).hasSize(100_000);
        }
    }
}
