package dev.parley.core.server;

import static dev.parley.core.server.CommandRateLimiter.Verdict.FLOOD;
import static dev.parley.core.server.CommandRateLimiter.Verdict.REJECT;
import static dev.parley.core.server.CommandRateLimiter.Verdict.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CommandRateLimiter (token bucket, on a fake clock)")
class CommandRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    private static List<CommandRateLimiter.Verdict> admit(CommandRateLimiter limiter, long at, int count) {
        List<CommandRateLimiter.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            verdicts.add(limiter.admit(at));
        }
        return verdicts;
    }

    @Test
    @DisplayName("a full bucket lets a burst through at once, then rejects")
    void burst() {
        CommandRateLimiter limiter = new CommandRateLimiter(50, 100, 0, 0);

        List<CommandRateLimiter.Verdict> verdicts = admit(limiter, 0, 5000);

        assertThat(verdicts.subList(0, 100)).containsOnly(RUN);
        assertThat(verdicts.subList(100, 5000)).containsOnly(REJECT);
    }

    @Test
    @DisplayName("tokens come back at the configured rate, never above the burst")
    void refill() {
        CommandRateLimiter limiter = new CommandRateLimiter(50, 100, 0, 0);
        admit(limiter, 0, 100);

        assertThat(admit(limiter, SECOND / 10, 6)).containsExactly(RUN, RUN, RUN, RUN, RUN, REJECT);
        assertThat(admit(limiter, 100 * SECOND, 101)).filteredOn(v -> v == RUN).hasSize(100);
    }

    @Test
    @DisplayName("a client that stays over its rate is a flood once it had flood-disconnect-after rejections")
    void flood() {
        CommandRateLimiter limiter = new CommandRateLimiter(10, 5, 20, 0);
        long now = 0;
        List<CommandRateLimiter.Verdict> verdicts = new ArrayList<>();
        // 100 commands per second against 10 allowed: one in ten runs, the bucket never fills up again.
        for (int i = 0; i < 40; i++, now += SECOND / 100) {
            verdicts.add(limiter.admit(now));
        }
        assertThat(verdicts).contains(RUN).contains(FLOOD);
        assertThat(verdicts.indexOf(FLOOD)).isLessThan(40);
    }

    @Test
    @DisplayName("rejections are forgiven once the client calmed down long enough to refill its bucket")
    void forgiven() {
        CommandRateLimiter limiter = new CommandRateLimiter(10, 5, 20, 0);
        assertThat(admit(limiter, 0, 24)).doesNotContain(FLOOD);

        assertThat(admit(limiter, SECOND, 24)).doesNotContain(FLOOD);
        assertThat(limiter.admit(SECOND)).isEqualTo(FLOOD);
    }

    @Test
    @DisplayName("fractional rates work: 0.5 per second is one command every two seconds")
    void fractional() {
        CommandRateLimiter limiter = new CommandRateLimiter(0.5, 1, 0, 0);
        assertThat(admit(limiter, 0, 2)).containsExactly(RUN, REJECT);
        assertThat(limiter.admit(SECOND)).isEqualTo(REJECT);
        assertThat(limiter.admit(2 * SECOND + 1)).isEqualTo(RUN);
    }
}
