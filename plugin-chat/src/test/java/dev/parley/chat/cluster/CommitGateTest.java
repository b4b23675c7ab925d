package dev.parley.chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.cluster.SharedLog;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CommitGateTest {
    private static final long SECOND = 1_000_000_000L;

    private final CommitGate gate = new CommitGate(10);

    @Test
    @DisplayName("a message waits for its marker, and the events after it wait behind it")
    void waitsInLogOrder() {
        assertThat(sequences(gate.take(List.of(message(10, "a", 1), event(11), message(12, "b", 2)), 0)))
                .isEmpty();
        // b's message is kept first, but a's came first in the log.
        assertThat(sequences(gate.take(List.of(kept("b", 2)), 0))).isEmpty();
        assertThat(sequences(gate.take(List.of(kept("a", 1)), 0))).containsExactly(10L, 11L, 12L);
        assertThat(gate.decidedThrough()).isEqualTo(12);
        assertThat(gate.held()).isZero();
    }

    @Test
    @DisplayName("a refused message is never let through, and is remembered as refused")
    void refusedIsDropped() {
        gate.take(List.of(message(10, "a", 5), message(11, "a", 6)), 0);
        assertThat(sequences(gate.take(List.of(new CommitGate.Settled("a", new long[] {5, 6}, false)), 0)))
                .isEmpty();
        assertThat(gate.decidedThrough()).isEqualTo(11);
        assertThat(gate.wasRefused("a", 5)).isTrue();
        assertThat(gate.wasRefused("b", 5)).isFalse();
    }

    @Test
    @DisplayName("the first marker decides: a later one for the same message changes nothing")
    void firstMarkerWins() {
        gate.take(List.of(message(10, "a", 7)), 0);
        assertThat(sequences(gate.take(List.of(refused("a", 7), kept("a", 7), event(11)), 0)))
                .containsExactly(11L);
        assertThat(gate.wasRefused("a", 7)).isTrue();
    }

    @Test
    @DisplayName("a marker of a message the gate never held (read before it started) is ignored")
    void oldMarkerIgnored() {
        assertThat(sequences(gate.take(List.of(kept("a", 3), message(10, "a", 4)), 0))).isEmpty();
        assertThat(gate.held()).isEqualTo(1);
    }

    @Test
    @DisplayName("the same msgid from two servers is two messages")
    void originDistinguishes() {
        gate.take(List.of(message(10, "a", 9), message(11, "b", 9)), 0);
        assertThat(sequences(gate.take(List.of(kept("a", 9)), 0))).containsExactly(10L);
        assertThat(gate.held()).isEqualTo(1);
    }

    @Test
    @DisplayName("a kept message read again (the reader started over) is not let through twice")
    void rereadIsDropped() {
        gate.take(List.of(message(10, "a", 5), kept("a", 5)), 0);
        assertThat(sequences(gate.take(List.of(message(10, "a", 5), kept("a", 5), message(12, "b", 6),
                kept("b", 6)), 0))).containsExactly(12L);
        assertThat(gate.reread()).isEqualTo(1);
    }

    @Test
    @DisplayName("a refused message read a second time while it waited is dropped both times")
    void refusedCopyIsDropped() {
        gate.take(List.of(message(10, "a", 5), message(11, "b", 4), message(10, "a", 5)), 0);
        assertThat(sequences(gate.take(List.of(refused("a", 5), kept("b", 4)), 0))).containsExactly(11L);
        assertThat(gate.held()).isZero();
    }

    @Test
    @DisplayName("a message that waited past the check time is offered to the check, at most once a check period")
    void waitingIsOffered() {
        gate.take(List.of(message(10, "a", 1)), 0);
        assertThat(gate.waiting(SECOND)).isEmpty();
        CommitGate.Waiting w = gate.waiting(3 * SECOND).orElseThrow();
        assertThat(w.entry().msgid()).isEqualTo(1);
        assertThat(w.nanos()).isEqualTo(3 * SECOND);
        assertThat(gate.waiting(3 * SECOND + 100_000_000L)).isEmpty();
        assertThat(gate.waiting(4 * SECOND)).isPresent();
    }

    @Test
    @DisplayName("unmarked messages in a row each wait from their own reading, not one wait after the other")
    void waitsCountFromReading() {
        gate.take(List.of(message(10, "a", 1), message(11, "a", 2)), 0);
        assertThat(gate.waiting(3 * SECOND).orElseThrow().entry().msgid()).isEqualTo(1);
        gate.take(List.of(refused("a", 1)), 3 * SECOND);
        // The second was read at 0 too: it is offered at the next check, not 2 s after the first was settled.
        CommitGate.Waiting next = gate.waiting(3 * SECOND + CommitGate.CHECK_PERIOD_NANOS).orElseThrow();
        assertThat(next.entry().msgid()).isEqualTo(2);
        assertThat(next.nanos()).isEqualTo(3 * SECOND + CommitGate.CHECK_PERIOD_NANOS);
    }

    @Test
    @DisplayName("events alone pass at once; nothing waits, so the check has nothing to do")
    void eventsPass() {
        assertThat(sequences(gate.take(List.of(event(10), event(11)), 0))).containsExactly(10L, 11L);
        assertThat(gate.waiting(10 * SECOND)).isEmpty();
    }

    private static CommitGate.Entry message(long sequence, String origin, long msgid) {
        return new CommitGate.Entry(new SharedLog.Entry(sequence, sequence + 1, "m"), origin, msgid);
    }

    private static CommitGate.Entry event(long sequence) {
        return new CommitGate.Entry(new SharedLog.Entry(sequence, 0, "e"), "x", 0);
    }

    private static CommitGate.Settled kept(String origin, long msgid) {
        return new CommitGate.Settled(origin, new long[] {msgid}, true);
    }

    private static CommitGate.Settled refused(String origin, long msgid) {
        return new CommitGate.Settled(origin, new long[] {msgid}, false);
    }

    private static List<Long> sequences(List<CommitGate.Entry> entries) {
        return entries.stream().map(CommitGate.Entry::sequence).toList();
    }
}
