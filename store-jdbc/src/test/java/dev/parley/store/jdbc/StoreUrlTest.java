package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Store URLs and settings")
class StoreUrlTest {
    private final Path home = Path.of("/opt/parley");

    @Test
    @DisplayName("a relative SQLite path resolves against home; an absolute one stays; parameters are kept")
    void sqlitePaths() {
        assertThat(StoreUrl.parse("jdbc:sqlite:data/parley.db", home).jdbcUrl())
                .isEqualTo("jdbc:sqlite:/opt/parley/data/parley.db");
        assertThat(StoreUrl.parse("jdbc:sqlite:/var/lib/parley/p.db?cache_size=2000", home).jdbcUrl())
                .isEqualTo("jdbc:sqlite:/var/lib/parley/p.db?cache_size=2000");
        assertThat(StoreUrl.parse("jdbc:sqlite:../x/../p.db", home).sqlite()).isEqualTo(Path.of("/opt/p.db"));
    }

    @ParameterizedTest(name = "{0} is refused, naming parley.store.url")
    @ValueSource(strings = {"jdbc:sqlite:", "jdbc:sqlite::memory:", "jdbc:sqlite:file:x.db", "jdbc:mysql://h/db",
        "memory:"})
    void refused(String url) {
        assertThatThrownBy(() -> StoreUrl.parse(url, home))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("parley.store.url");
    }

    @ParameterizedTest(name = "{0} is shown as {1}")
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db/parley?user=p&password=s3cret&ssl=true | jdbc:postgresql://db/parley?user=p&password=***&ssl=true",
        "jdbc:postgresql://db/parley?PASSWORD=s3cret | jdbc:postgresql://db/parley?PASSWORD=***",
        "jdbc:postgresql://u:s3cret@db/parley | jdbc:postgresql://***@db/parley",
        "jdbc:postgresql://db/parley?sslpassword=s3cret | jdbc:postgresql://db/parley?sslpassword=***",
        "jdbc:postgresql://db/parley | jdbc:postgresql://db/parley"})
    void redacted(String url, String shown) {
        assertThat(StoreUrl.parse(url, home).display()).isEqualTo(shown).doesNotContain("s3cret");
    }

    @Test
    @DisplayName("the provider accepts SQLite and PostgreSQL URLs only")
    void accepts() {
        JdbcStoreProvider provider = new JdbcStoreProvider();
        assertThat(provider.accepts("jdbc:sqlite:data/parley.db")).isTrue();
        assertThat(provider.accepts("jdbc:postgresql://db/parley")).isTrue();
        assertThat(provider.accepts("memory:")).isFalse();
        assertThat(provider.accepts("jdbc:h2:mem:x")).isFalse();
    }

    @Test
    @DisplayName("the settings' defaults come from reference.conf; a bad one names its key")
    void settings() {
        assertThat(JdbcSettings.defaults().sqliteSynchronous()).isEqualTo("FULL");
        assertThat(JdbcSettings.from(ConfigFactory.parseMap(Map.of("jdbc.sqlite.synchronous", "normal")))
                .sqliteSynchronous()).isEqualTo("NORMAL");
        assertThatThrownBy(() -> JdbcSettings.from(ConfigFactory.parseMap(Map.of("jdbc.sqlite.synchronous", "OFF"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parley.store.jdbc.sqlite.synchronous");
        assertThatThrownBy(() -> JdbcSettings.from(ConfigFactory.parseMap(Map.of("jdbc.pool-size", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parley.store.jdbc.pool-size");
    }
}
