package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    private static final Duration HALF_SECOND = Duration.ofMillis(500);
    private static final Duration THIRTY = Duration.ofSeconds(30);

    @Nested
    @DisplayName("the schedule")
    class Schedule {
        @ParameterizedTest(name = "attempt {0} waits at most {1} ms")
        @CsvSource({"1, 500", "2, 1000", "3, 2000", "4, 4000", "5, 8000", "6, 16000", "7, 30000", "8, 30000",
                "1000, 30000", "2147483647, 30000"})
        @DisplayName("starts at the initial wait, doubles, and stops at the cap")
        void doublesUpToTheCap(int attempt, long millis) {
            Backoff highest = new Backoff(HALF_SECOND, THIRTY, 0, () -> 1.0);
            assertThat(highest.delay(attempt)).contains(Duration.ofMillis(millis));
        }

        @ParameterizedTest(name = "random {0} on a 4 s step waits {1} ms")
        @CsvSource({"0.0, 2000", "0.5, 3000", "1.0, 4000", "-3, 2000", "7, 4000"})
        @DisplayName("jitter keeps each wait in the upper half of its step")
        void jitterWithinBounds(double random, long millis) {
            assertThat(new Backoff(HALF_SECOND, THIRTY, 0, () -> random).delay(4)).contains(Duration.ofMillis(millis));
        }

        @Test
        @DisplayName("with real randomness every wait lies between half its step and the step")
        void randomJitter() {
            Random seeded = new Random(42);
            Backoff backoff = new Backoff(HALF_SECOND, THIRTY, 0, seeded::nextDouble);
            for (int attempt = 1; attempt <= 40; attempt++) {
                Duration step = backoff.ceiling(attempt);
                assertThat(backoff.delay(attempt).orElseThrow()).isBetween(step.dividedBy(2), step);
            }
        }
    }

    @Nested
    @DisplayName("attempt counting")
    class Attempts {
        @Test
        @DisplayName("a bound of 3 allows attempts 1 to 3 and no fourth")
        void bounded() {
            Backoff three = new Backoff(HALF_SECOND, THIRTY, 3, () -> 0.5);
            assertThat(three.delay(1)).isPresent();
            assertThat(three.delay(3)).isPresent();
            assertThat(three.delay(4)).isEqualTo(Optional.empty());
        }

        @Test
        @DisplayName("0 means no limit")
        void unlimited() {
            assertThat(new Backoff(HALF_SECOND, THIRTY, 0, () -> 0.5).delay(1_000_000)).isPresent();
        }

        @Test
        @DisplayName("attempts count from 1; a cap below the start or a negative bound is refused")
        void badArguments() {
            Backoff backoff = new Backoff(HALF_SECOND, THIRTY, 0);
            assertThatThrownBy(() -> backoff.delay(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Backoff(THIRTY, HALF_SECOND, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Backoff(HALF_SECOND, THIRTY, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0} ms is shown as {1}")
    @CsvSource({"4000, 4s", "500, 0.5s", "3740, 3.7s", "30000, 30s", "40, 40ms"})
    @DisplayName("waits are shown in seconds to a tenth, short ones in milliseconds")
    void shown(long millis, String text) {
        assertThat(Backoff.seconds(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
