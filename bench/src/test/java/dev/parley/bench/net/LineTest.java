package dev.parley.bench.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LineTest {

    @Test
    @DisplayName("the newline scan finds the first LF at every position and alignment, and none where there is none")
    void newlineScan() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            byte[] data = new byte[random.nextInt(40)];
            for (int i = 0; i < data.length; i++) {
                // Bytes around '\n' (0x0a) and with the high bit set are the ones a word-at-a-time scan gets wrong.
                int pick = random.nextInt(10);
                data[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x0b : pick == 2 ? 0x8a : pick == 3 ? 0x09 : random.nextInt(256));
            }
            int from = data.length == 0 ? 0 : random.nextInt(data.length + 1);
            int to = from + random.nextInt(data.length - from + 1);
            assertThat(Line.indexOfNewline(data, from, to)).as("round %d", round).isEqualTo(naive(data, from, to));
        }
    }

    @Test
    @DisplayName("a line reads as the bytes it views: prefixes, searches and its text")
    void view() {
        byte[] bytes = "xx@t=1 MSG #r a :hi :there\nyy".getBytes(StandardCharsets.ISO_8859_1);
        Line line = new Line().set(bytes, 2, 24, 5);
        assertThat(line.toString()).isEqualTo("@t=1 MSG #r a :hi :there");
        assertThat(line.receivedNanos()).isEqualTo(5);
        assertThat(line.startsWith("@t=1")).isTrue();
        assertThat(line.startsWith("MSG ", line.indexOf(' ') + 1)).isTrue();
        assertThat(line.startsWith("there\n", 19)).isFalse();
        assertThat(line.indexOf(" :", 0)).isEqualTo(13);
        assertThat(line.indexOf(" :", 14)).isEqualTo(17);
        assertThat(line.indexOf('y', 0)).isEqualTo(-1);
        assertThat(line.is("@t=1 MSG #r a :hi :there")).isTrue();
        assertThat(line.is("@t=1")).isFalse();
        assertThat(line.charAt(0)).isEqualTo('@');
    }

    private static int naive(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
