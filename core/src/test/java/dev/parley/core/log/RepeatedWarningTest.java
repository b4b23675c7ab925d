package dev.parley.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RepeatedWarningTest {
    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private final RepeatedWarning warning = new RepeatedWarning(Duration.ofSeconds(10), clock::get);

    private void advance(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    @DisplayName("the first warning is logged, those within the interval are folded, the next logged one counts them")
    void foldsARun() {
        assertThat(warning.next()).isZero();
        for (int i = 0; i < 250; i++) {
            advance(20);
            assertThat(warning.next()).isEqualTo(-1);
        }
        advance(5_001); // 10.001 s after the first
        assertThat(warning.next()).isEqualTo(250);
        advance(1);
        assertThat(warning.next()).isEqualTo(-1);
    }

    @Test
    @DisplayName("after a quiet interval the next warning is logged at once, as the first of a new run")
    void quietThenLoggedAtOnce() {
        assertThat(warning.next()).isZero();
        advance(60_000);
        assertThat(warning.next()).isZero();
    }

    @Test
    @DisplayName("the words appended to a logged line name the folded count, or nothing")
    void words() {
        assertThat(RepeatedWarning.folded(0, "refused commands")).isEmpty();
        assertThat(RepeatedWarning.folded(3, "refused commands"))
                .isEqualTo(" (and 3 more refused commands since the last such line, logged at DEBUG)");
    }
}
