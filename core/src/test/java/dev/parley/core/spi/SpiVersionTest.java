package dev.parley.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpiVersionTest {

    @ParameterizedTest(name = "server {0} runs a plugin built for {1}: {2}")
    @DisplayName("a server runs plugins of its major built for its minor or an older one")
    @CsvSource({
        "1.0, 1.0, true",
        "1.3, 1.0, true",
        "1.3, 1.3, true",
        "1.0, 1.1, false",
        "1.0, 2.0, false",
        "2.0, 1.0, false",
        "2.1, 1.5, false",
    })
    void compatibility(String server, String plugin, boolean runs) {
        assertThat(SpiVersion.parse(server).runs(SpiVersion.parse(plugin))).isEqualTo(runs);
    }

    @ParameterizedTest
    @DisplayName("only <major>.<minor> with major >= 1 parses")
    @ValueSource(strings = {"", "1", "1.", ".1", "1.0.0", "0.1", "a.b", "1.-1", "-1.0"})
    void badText(String text) {
        assertThatThrownBy(() -> SpiVersion.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @DisplayName("toString and parse are inverse")
    @ValueSource(strings = {"1.0", "1.12", "3.4"})
    void roundTrip(String text) {
        assertThat(SpiVersion.parse(text)).hasToString(text);
    }
}
