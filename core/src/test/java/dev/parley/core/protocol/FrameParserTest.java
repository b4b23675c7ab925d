package dev.parley.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {

    @Nested
    @DisplayName("a well-formed line")
    class WellFormed {
        @Test
        @DisplayName("has its verb upper-cased, params split on spaces and the trailing kept whole")
        void verbParamsTrailing() throws Exception {
            Frame f = FrameParser.parse("say #lobby :héllo wörld ✓  with spaces ");
            assertThat(f.verb()).isEqualTo("SAY");
            assertThat(f.params()).containsExactly("#lobby");
            assertThat(f.trailing()).isEqualTo("héllo wörld ✓  with spaces ");
            assertThat(f.payload()).isNull();
        }

        @Test
        @DisplayName("keeps tags in order, a tag without '=' has the empty value")
        void tags() throws Exception {
            Frame f = FrameParser.parse("@id=x7;flag;size=3 CHUNK abc 0");
            assertThat(f.tags()).containsExactly(Map.entry("id", "x7"), Map.entry("flag", ""), Map.entry("size", "3"));
            assertThat(f.params()).containsExactly("abc", "0");
            assertThat(FrameParser.payloadSize(f)).isEqualTo(3);
        }

        @Test
        @DisplayName("may have an empty trailing, distinct from none")
        void emptyTrailing() throws Exception {
            assertThat(FrameParser.parse("QUIT :").trailing()).isEmpty();
            assertThat(FrameParser.parse("QUIT").trailing()).isNull();
        }

        @Test
        @DisplayName("tolerates runs of spaces between parameters")
        void spaces() throws Exception {
            assertThat(FrameParser.parse("  WHO    #a   ").params()).containsExactly("#a");
        }

        @Test
        @DisplayName("keeps a TAB inside the trailing")
        void tab() throws Exception {
            assertThat(FrameParser.parse("SAY #a :x\ty").trailing()).isEqualTo("x\ty");
        }

        @Test
        @DisplayName("a blank line is no frame")
        void blank() throws Exception {
            assertThat(FrameParser.parse("")).isNull();
            assertThat(FrameParser.parse("   ")).isNull();
        }

        @Test
        @DisplayName("round-trips through the writer")
        void roundTrip() throws Exception {
            Frame f = Frame.of("MSG").tag("msgid", "7").tag("time", "2026-11-24T23:59:01.123Z")
                    .params("#lobby", "Élodie").trailing("héllo :) ✓").build();
            String wire = FrameWriter.encodeText(f);
            assertThat(wire).isEqualTo("@msgid=7;time=2026-11-24T23:59:01.123Z MSG #lobby Élodie :héllo :) ✓\n");
            assertThat(FrameParser.parse(wire.substring(0, wire.length() - 1))).isEqualTo(f);
        }
    }

    @Nested
    @DisplayName("a malformed line is BAD_SYNTAX")
    class Malformed {
        @ParameterizedTest
        @ValueSource(strings = {"SA-Y x", "@ HELP", "@id=x7", "@=v HELP", "@a;;b HELP", "@a=b=c HELP",
                "@k=1;k=2 HELP", "HELP \u001b[31m", "HE\u0000LP", "WHO #a\rx", ":trailing only", "@k=v; HELP"})
        void badSyntax(String line) {
            assertThatThrownBy(() -> FrameParser.parse(line))
                    .isInstanceOfSatisfying(ProtocolException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_SYNTAX));
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "1e3", "", "0x10", "9999999999999999999999"})
        @DisplayName("a size that is not a whole number of bytes")
        void badSize(String size) throws Exception {
            Frame f = FrameParser.parse("@size=" + size + " CHUNK a 0".replace("@size= ", "@size "));
            assertThatThrownBy(() -> FrameParser.payloadSize(f)).isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    @DisplayName("frames refuse parameters the grammar cannot carry")
    void builderValidates() {
        assertThatThrownBy(() -> Frame.of("X").param("a b").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Frame.of("X").param(":a").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Frame.of("X").trailing("a\nb").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Frame.of("X Y").build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(Frame.of("x").params(List.of("a", "b")).build().toString()).isEqualTo("X a b");
    }
}
