package dev.parley.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeqPrefixTest {
    @ParameterizedTest(name = "seq {0}")
    @ValueSource(longs = {1, 9, 10, 99, 100, 12345, 1_000_000_007L, Long.MAX_VALUE})
    void writesTheNumberInDecimal(long seq) {
        assertThat(new String(SeqPrefix.of(seq, true), StandardCharsets.US_ASCII)).isEqualTo("@seq=" + seq + ";");
        assertThat(new String(SeqPrefix.of(seq, false), StandardCharsets.US_ASCII)).isEqualTo("@seq=" + seq + " ");
        assertThat(SeqPrefix.length(seq)).isEqualTo(("@seq=" + seq + " ").length());
    }

    @ParameterizedTest(name = "seq {0}")
    @ValueSource(longs = {7, 12345, Long.MAX_VALUE})
    void writesInPlaceAndSaysWhereItEnded(long seq) {
        byte[] into = new byte[40];
        Arrays.fill(into, (byte) 'x');
        int end = SeqPrefix.write(seq, false, into, 3);
        assertThat(new String(into, StandardCharsets.US_ASCII))
                .isEqualTo("xxx@seq=" + seq + " " + "x".repeat(40 - end));
        assertThat(end).isEqualTo(3 + SeqPrefix.length(seq));
    }
}
