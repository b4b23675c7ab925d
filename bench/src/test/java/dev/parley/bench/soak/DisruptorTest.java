package dev.parley.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.soak.Disruption.Kind;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisruptorTest {

    @Test
    @DisplayName("deals the kinds in rounds: 15 disruptions are 5 of each, every round has each once")
    void rounds(@TempDir Path tmp) {
        for (long seed = 1; seed <= 50; seed++) {
            Disruptor disruptor = disruptor(tmp, seed, SoakSettings.ALL_KINDS);
            List<Kind> kinds = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                kinds.add(disruptor.nextKind());
            }
            for (Kind kind : Kind.values()) {
                assertThat(Collections.frequency(kinds, kind)).as("seed %d: %s", seed, kind).isEqualTo(5);
            }
            for (int round = 0; round < 5; round++) {
                assertThat(Set.copyOf(kinds.subList(3 * round, 3 * round + 3))).containsExactlyInAnyOrder(Kind.values());
            }
        }
    }

    @Test
    @DisplayName("the same seed deals the same kinds; a run limited to some kinds gets only those")
    void replayAndLimits(@TempDir Path tmp) {
        List<Kind> first = new ArrayList<>();
        List<Kind> again = new ArrayList<>();
        Disruptor a = disruptor(tmp, 7, SoakSettings.ALL_KINDS);
        Disruptor b = disruptor(tmp, 7, SoakSettings.ALL_KINDS);
        for (int i = 0; i < 9; i++) {
            first.add(a.nextKind());
            again.add(b.nextKind());
        }
        assertThat(again).isEqualTo(first);
        Disruptor kills = disruptor(tmp, 7, Set.of("kill"));
        assertThat(List.of(kills.nextKind(), kills.nextKind())).containsOnly(Kind.KILL9);
    }

    private static Disruptor disruptor(Path tmp, long seed, Set<String> kinds) {
        SoakSettings settings = new SoakSettings(tmp, Duration.ofSeconds(1), seed, 3, 1, 1, 10, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, "memory:", "64m", tmp, kinds);
        return new Disruptor(new Node[0], settings, System.nanoTime(), System.nanoTime(),
                new PrintStream(OutputStream.nullOutputStream()));
    }
}
