package dev.parley.chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.chat.cluster.SessionCursors.Cursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionCursorsTest {

    @Test
    @DisplayName("a record reads back as the nick and its checkpoints, room positions by key")
    void parse() {
        Cursor cursor = Cursor.parse("bob\n3 @direct=-1 #a=4\n9 @direct=2 #a=10 #b=0");
        assertThat(cursor.nick()).isEqualTo("bob");
        assertThat(cursor.checkpoints()).extracting(Cursor.Checkpoint::seq).containsExactly(3L, 9L);
        assertThat(cursor.checkpoints().get(1).positions())
                .containsExactlyInAnyOrderEntriesOf(Map.of("@direct", 2L, "#a", 10L, "#b", 0L));
    }

    @Test
    @DisplayName("replay starts at the newest checkpoint the client's last seq is past; none when it is older than all")
    void startFor() {
        Cursor cursor = Cursor.parse("bob\n3 @direct=-1\n9 @direct=2\n15 @direct=5");
        assertThat(cursor.startFor(OptionalLong.of(12)).orElseThrow().seq()).isEqualTo(9);
        assertThat(cursor.startFor(OptionalLong.of(9)).orElseThrow().seq()).isEqualTo(9);
        assertThat(cursor.startFor(OptionalLong.of(40)).orElseThrow().seq()).isEqualTo(15);
        assertThat(cursor.startFor(OptionalLong.empty()).orElseThrow().seq()).isEqualTo(15);
        assertThat(cursor.startFor(OptionalLong.of(2))).isEmpty();
    }

    @Test
    @DisplayName("a full list thins its older half, keeping the oldest and every recent checkpoint, in order")
    void thin() {
        List<String> kept = new ArrayList<>();
        for (int seq = 1; seq <= 200; seq++) {
            kept.add(Integer.toString(seq));
            SessionCursors.thin(kept);
            assertThat(kept.size()).isLessThanOrEqualTo(SessionCursors.KEPT);
        }
        List<Integer> seqs = kept.stream().map(Integer::parseInt).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates().contains(1, 200);
        int dense = SessionCursors.KEPT / 2;
        assertThat(seqs.subList(seqs.size() - dense, seqs.size())).as("the newest checkpoints stay dense")
                .containsExactly(IntStream.rangeClosed(200 - dense + 1, 200).boxed().toArray(Integer[]::new));
    }
}
