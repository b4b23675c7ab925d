package dev.parley.launcher.client.display;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTextTest {

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
            '\u001b[2J'          | ^[[2J           | ESC in caret notation
            a\u0000b             | a^@b            | NUL
            'bell\u0007'         | bell^G          | BEL
            del\u007f            | del^?           | DEL
            x\u009b31m           | x\\u009b31m     | C1 CSI as \\u escape
            \u202eevil           | \\u202eevil     | right-to-left override
            line\rover           | line^Mover      | bare CR cannot overwrite the line
            """)
    @DisplayName("control characters are shown, never sent to the terminal")
    void escapes(String raw, String shown, String why) {
        assertThat(SafeText.escape(raw)).isEqualTo(shown);
    }

    @Test
    @DisplayName("text without controls is returned as it is, accents, emoji and tabs included")
    void plainTextUnchanged() {
        String text = "héllo wörld ✓ 👋\tend";
        assertThat(SafeText.escape(text)).isSameAs(text);
    }

    @Test
    @DisplayName("null shows as nothing")
    void nullIsEmpty() {
        assertThat(SafeText.escape(null)).isEmpty();
    }

    @Test
    @DisplayName("byte sizes read as B, KiB, MiB")
    void sizes() {
        assertThat(ByteSizes.format(512)).isEqualTo("512 B");
        assertThat(ByteSizes.format(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteSizes.format(3_000_000)).isEqualTo("2.9 MiB");
    }
}
