package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeartbeatSettingsTest {

    private static HeartbeatSettings read(String section) {
        return HeartbeatSettings.from(ConfigFactory.parseString(section));
    }

    @Test
    @DisplayName("an empty section gives the documented defaults")
    void defaults() {
        assertThat(read("")).isEqualTo(new HeartbeatSettings(Duration.ofSeconds(30), Duration.ofSeconds(90),
                Duration.ofSeconds(60), Duration.ofSeconds(60), 1000));
    }

    @Test
    @DisplayName("the sweep runs every quarter of the shortest period, within 10 ms and 5 s")
    void sweepPeriod() {
        assertThat(read("").sweepPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(read("interval = 200ms, timeout = 1s").sweepPeriod()).isEqualTo(Duration.ofMillis(50));
        assertThat(read("interval = 1ms, timeout = 2ms").sweepPeriod()).isEqualTo(Duration.ofMillis(10));
    }

    @ParameterizedTest(name = "{0} -> error naming {1}")
    @CsvSource(delimiter = '|', value = {
            "interval = 0s                     | parley.heartbeat.interval",
            "timeout = -1s                     | parley.heartbeat.timeout",
            "interval = 10s, timeout = 10s     | parley.heartbeat.timeout",
            "register-timeout = soon           | register-timeout",
            "resume-grace = 0ms                | parley.heartbeat.resume-grace",
            "replay-limit = 0                  | parley.heartbeat.replay-limit",
            "replay-limit = many               | replay-limit",
            "intervall = 10s                   | parley.heartbeat.intervall"})
    @DisplayName("a bad value or an unknown key fails with the key's name")
    void invalid(String section, String key) {
        assertThatThrownBy(() -> read(section)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
    }
}
