package dev.parley.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StampTest {

    @Test
    @DisplayName("a text has exactly the message size and gives its send time back")
    void roundTrip() {
        String text = Stamp.text(Long.MAX_VALUE, 100);
        assertThat(text).hasSize(100).startsWith("t=" + Long.MAX_VALUE + ";");
        assertThat(Stamp.sentNanos(text)).isEqualTo(Long.MAX_VALUE);
        assertThat(Stamp.sentNanos(Stamp.text(7, Stamp.MIN_SIZE))).isEqualTo(7);
    }

    @Test
    @DisplayName("a size that cannot hold the time is refused")
    void tooSmall() {
        assertThatThrownBy(() -> Stamp.text(1, Stamp.MIN_SIZE - 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "t=;x", "t=12", "t=1a;", "t=-5;", "t=123456789012345678901;"})
    @DisplayName("texts not written by the tool carry no time")
    void foreign(String text) {
        assertThat(Stamp.sentNanos(text)).isEqualTo(-1);
    }
}
