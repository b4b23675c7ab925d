package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AttemptLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final AttemptLimiter limiter = new AttemptLimiter(3, Duration.ofSeconds(60), 4, now::get);

    @Test
    @DisplayName("refuses an address's attempts once max-failures failed within the window")
    void limits() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAttempt("a")).isTrue();
        }
        assertThat(limiter.tryAttempt("a")).isFalse();
        assertThat(limiter.tryAttempt("b")).as("another address").isTrue();
    }

    @Test
    @DisplayName("a success is no failure, but does not wipe earlier ones")
    void success() {
        limiter.tryAttempt("a");
        limiter.tryAttempt("a");
        limiter.succeeded("a");
        assertThat(limiter.tryAttempt("a")).isTrue();
        assertThat(limiter.tryAttempt("a")).isTrue();
        assertThat(limiter.tryAttempt("a")).isFalse();
    }

    @Test
    @DisplayName("the window counts from the first failure; after it the address starts afresh")
    void window() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAttempt("a");
            now.addAndGet(Duration.ofSeconds(10).toNanos());
        }
        assertThat(limiter.tryAttempt("a")).isFalse();
        now.set(Duration.ofSeconds(60).toNanos());
        assertThat(limiter.tryAttempt("a")).isTrue();
    }

    @Test
    @DisplayName("tracks at most its capacity of addresses, forgetting the oldest window first")
    void bounded() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAttempt("old");
        }
        for (int i = 0; i < 100; i++) {
            now.incrementAndGet();
            limiter.tryAttempt("addr" + i);
        }
        assertThat(limiter.tracked()).isEqualTo(4);
        assertThat(limiter.tryAttempt("old")).as("forgotten").isTrue();
    }
}
