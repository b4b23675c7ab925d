package dev.parley.chat.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MessageTimeTest {
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    @DisplayName("formats like DateTimeFormatter, within a second, across seconds and going back in time")
    void sameAsFormatter() {
        MessageTime time = new MessageTime();
        SplittableRandom random = new SplittableRandom(7);
        Instant t = Instant.parse("2026-11-24T23:59:58.998Z");
        for (int i = 0; i < 20_000; i++) {
            // Mostly small steps (the same second again), sometimes a jump either way, as clocks do.
            long step = random.nextInt(10) == 0 ? random.nextLong(-5_000_000_000L, 90_000_000_000L)
                    : random.nextLong(0, 3_000_000);
            t = t.plusNanos(step);
            assertThat(time.format(t)).isEqualTo(ISO.format(t));
        }
        assertThat(time.format(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(time.format(Instant.parse("1999-12-31T23:59:59.999Z"))).isEqualTo("1999-12-31T23:59:59.999Z");
    }
}
