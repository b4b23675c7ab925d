package dev.parley.chat.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.protocol.Frame;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a room's history ring")
class HistoryTest {

    private static Frame msg(int i) {
        return Frame.of("MSG").tag("msgid", Integer.toString(i)).params("#r", "a").trailing("m" + i).build();
    }

    private static List<String> ids(List<Frame> frames) {
        return frames.stream().map(f -> f.tag("msgid")).toList();
    }

    @Test
    @DisplayName("keeps at most its capacity, forgetting the oldest, and returns oldest first across the wrap")
    void wraps() {
        History h = new History(3);
        assertThat(h.last(3)).isEmpty();
        for (int i = 1; i <= 7; i++) {
            h.add(msg(i));
        }
        assertThat(ids(h.last(3))).containsExactly("5", "6", "7");
        assertThat(ids(h.last(2))).containsExactly("6", "7");
        assertThat(ids(h.last(10))).containsExactly("5", "6", "7");
    }

    @Test
    @DisplayName("before it is full returns what it has")
    void partial() {
        History h = new History(5);
        h.add(msg(1));
        h.add(msg(2));
        assertThat(ids(h.last(5))).containsExactly("1", "2");
    }

    @Test
    @DisplayName("refuses a capacity below 1")
    void capacity() {
        assertThatThrownBy(() -> new History(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
