package dev.parley.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a usage text says how many arguments a command takes. */
class UsageTest {

    @ParameterizedTest(name = "''{0}'' takes {1} to {2}")
    @CsvSource(delimiter = ';', value = {
        "'';                                   0; 0",
        "<#room>;                              1; 1",
        "<#room> [key];                        1; 2",
        "<nick> :<text>;                       2; 2",
        "[:reason];                            0; 1",
        "<#room> <account> owner|op|voice|member; 3; 3",
        "<#room> account:<name>|addr:<ip[/bits]>|<name> [90s|2h] [:reason]; 2; 4",
        "<#room> key <secret>|off | <#room> moderated|guests on|off; 3; 3",
        "<#room|nick> [n | LATEST [n] | BEFORE <ref> [n] | BETWEEN <ref> <ref> [n]]; 1; 5",
        "<nick>...;                            1; 2147483647",
        "<#room> [<nick>...];                  1; 2147483647",
    })
    void counts(String text, int min, int max) {
        Usage usage = Usage.of(text);
        assertThat(usage.min()).isEqualTo(min);
        assertThat(usage.max()).isEqualTo(max);
        assertThat(usage.declared()).isTrue();
    }

    @Test
    @DisplayName("accepts only counts in range; the undeclared usage accepts any and shows nothing")
    void accepts() {
        Usage join = Usage.of("<#room>  [key]");
        assertThat(join.accepts(0)).isFalse();
        assertThat(join.accepts(1)).isTrue();
        assertThat(join.accepts(2)).isTrue();
        assertThat(join.accepts(3)).isFalse();
        assertThat(join.line("JOIN")).isEqualTo("JOIN <#room> [key]");
        assertThat(Usage.of("").line("ROOMS")).isEqualTo("ROOMS");
        assertThat(Usage.UNDECLARED.declared()).isFalse();
        assertThat(Usage.UNDECLARED.accepts(1000)).isTrue();
        assertThat(Usage.of("").declared()).isTrue();
    }

    @Test
    @DisplayName("explicit counts for what the text cannot say; inconsistent ones are refused")
    void explicit() {
        assertThat(new Usage("<N>d<M> [#room]", 1, 2).accepts(2)).isTrue();
        assertThatThrownBy(() -> new Usage("x", 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Usage("x", -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"<#room> [key; [ is not closed", "<#room> key]; ] closes nothing",
        "<#room; < is not closed"})
    @DisplayName("an unclosed bracket is refused with what is wrong")
    void malformed(String text, String message) {
        assertThatThrownBy(() -> Usage.of(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.replaceFirst("^(.) ", "'$1' ")).hasMessageContaining(text);
    }
}
