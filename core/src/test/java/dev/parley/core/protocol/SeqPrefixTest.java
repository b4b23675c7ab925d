package dev.parley.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeqPrefixTest {
    @ParameterizedTest(name = "seq {0}")
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, 12345, 1_000_000_007L, Long.MAX_VALUE})
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

    @Test
    @DisplayName("every power of ten and its neighbours, and random values, as Long.toString writes them")
    void digitsAtEveryBoundary() {
        List<Long> values = new ArrayList<>();
        long power = 1;
        for (int k = 0; k <= 18; k++) {
            values.addAll(List.of(power - 1, power, power + 1));
            power = k < 18 ? power * 10 : power;
        }
        values.addAll(List.of(Long.MAX_VALUE - 1, Long.MAX_VALUE));
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            values.add((random.nextLong() >>> 1) >>> random.nextInt(63)); // any bit length, never negative
        }
        for (long seq : values) {
            String expected = "@seq=" + seq + " ";
            assertThat(SeqPrefix.length(seq)).as("length of %d", seq).isEqualTo(expected.length());
            byte[] into = new byte[expected.length() + 2];
            assertThat(SeqPrefix.write(seq, false, into, 1)).isEqualTo(1 + expected.length());
            assertThat(new String(into, 1, expected.length(), StandardCharsets.US_ASCII)).isEqualTo(expected);
        }
    }
}
