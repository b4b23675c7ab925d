package dev.parley.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResultTest {

    @Test
    @DisplayName("the RESULT line is the prefix and one flat JSON object, keys in insertion order")
    void line() {
        Result result = new Result().put("scenario", "fanout").put("members", 100).put("sent", 12L)
                .put("p99_us", 1234.56789).put("verified", true);
        assertThat(result.line()).isEqualTo(
                "RESULT {\"scenario\":\"fanout\",\"members\":100,\"sent\":12,\"p99_us\":1234.568,\"verified\":true}");
        assertThat(result.line()).doesNotContain("\n");
    }

    @Test
    @DisplayName("strings are escaped and decimals never depend on the locale; NaN becomes null")
    void escaping() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(new Result().put("s", "a\"b\\c\n").put("d", 0.5).put("n", Double.NaN).line())
                    .isEqualTo("RESULT {\"s\":\"a\\\"b\\\\c\\n\",\"d\":0.500,\"n\":null}");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    @DisplayName("keys are lower_snake and values plain: anything else is a bug in the caller")
    void refusesOddKeysAndValues() {
        assertThatThrownBy(() -> new Result().put("Bad Key", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Result().put("ok", new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the summary has one aligned line per value")
    void summary() {
        assertThat(new Result().put("a", 1).put("longer", 2.0).summary())
                .isEqualTo(String.format("  a       1%n  longer  2.000%n"));
    }
}
