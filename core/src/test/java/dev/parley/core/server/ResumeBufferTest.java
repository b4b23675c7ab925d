package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ResumeBufferTest {

    private static byte[] event(int n) {
        return new byte[] {(byte) n};
    }

    private static List<String> after(ResumeBuffer buffer, long seq) {
        List<String> got = new ArrayList<>();
        buffer.replayAfter(seq, (n, bytes) -> got.add(n + "=" + bytes[0]));
        return got;
    }

    @Test
    @DisplayName("numbers events from 1 and replays those after a seq, oldest first")
    void numbers() {
        ResumeBuffer buffer = new ResumeBuffer(100);
        assertThat(buffer.last()).isZero();
        assertThat(buffer.append(event(10))).isEqualTo(1);
        assertThat(buffer.append(event(11))).isEqualTo(2);
        assertThat(buffer.append(event(12))).isEqualTo(3);
        assertThat(after(buffer, 1)).containsExactly("2=11", "3=12");
        assertThat(after(buffer, 3)).isEmpty();
        assertThat(buffer.holdsAfter(0)).isTrue();
        assertThat(buffer.holdsAfter(4)).as("ahead of the last event").isFalse();
    }

    @Test
    @DisplayName("holds nothing until the first event, which it numbers after the seq it starts from")
    void emptyUntilFirstEvent() {
        ResumeBuffer buffer = new ResumeBuffer(100);
        buffer.startAfter(7);
        assertThat(buffer.holdsAfter(7)).isTrue();
        assertThat(buffer.holdsAfter(6)).as("events before the start are not held").isFalse();
        assertThat(after(buffer, 7)).isEmpty();
        assertThat(buffer.append(event(1))).isEqualTo(8);
        assertThat(after(buffer, 7)).containsExactly("8=1");
    }

    @Nested
    @DisplayName("when full")
    class Full {
        @Test
        @DisplayName("keeps the last capacity events across growth and wrap-around, sharing the arrays")
        void keepsLast() {
            ResumeBuffer buffer = new ResumeBuffer(40);
            List<byte[]> sent = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                byte[] e = event(i);
                sent.add(e);
                buffer.append(e);
            }
            assertThat(buffer.holdsAfter(60)).isTrue();
            assertThat(buffer.holdsAfter(59)).isFalse();
            List<byte[]> replayed = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            buffer.replayAfter(60, (n, bytes) -> {
                seqs.add(n);
                replayed.add(bytes);
            });
            assertThat(seqs).hasSize(40).startsWith(61L).endsWith(100L).isSorted();
            for (int i = 0; i < 40; i++) {
                assertThat(replayed.get(i)).isSameAs(sent.get(60 + i));
            }
        }

        @Test
        @DisplayName("a capacity of one keeps just the newest event")
        void one() {
            ResumeBuffer buffer = new ResumeBuffer(1);
            buffer.append(event(1));
            buffer.append(event(2));
            assertThat(after(buffer, 1)).containsExactly("2=2");
            assertThat(buffer.holdsAfter(0)).isFalse();
        }
    }
}
