package dev.parley.launcher.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.core.store.MemoryMessageStore;
import dev.parley.core.store.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("opening the message store at start-up")
class StoreOpenerTest {

    private static Config withUrl(String url) {
        return ConfigFactory.parseString("parley.store.url = \"" + url + "\"").withFallback(ConfigFactory.load());
    }

    @Test
    @DisplayName("memory: opens the memory store found with ServiceLoader")
    void memory() {
        try (MessageStore store = StoreOpener.open(withUrl("memory:"), Path.of("."), false)) {
            assertThat(store).isInstanceOf(MemoryMessageStore.class);
            assertThat(store.isAvailable()).isTrue();
        }
    }

    @Test
    @DisplayName("a URL no installed store opens fails naming it, without its password")
    void noProvider() {
        assertThatThrownBy(() -> StoreOpener.open(withUrl("jdbc:mysql://bob:s3cret@db.example/parley"),
                Path.of("."), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db.example/parley")
                .hasMessageContaining("memory")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    @DisplayName("a PostgreSQL URL the driver refuses fails as unavailable, naming it without its password")
    void refusedUrl() {
        assertThatThrownBy(() -> StoreOpener.open(withUrl("jdbc:postgresql://bob:s3cret@db.example/parley"),
                Path.of("."), false))
                .isInstanceOf(dev.parley.core.spi.store.StoreUnavailableException.class)
                .hasMessageContaining("db.example/parley")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    @DisplayName("SQLite in a cluster is refused: the nodes need one shared PostgreSQL store")
    void sqliteInCluster() {
        assertThatThrownBy(() -> StoreOpener.open(withUrl("jdbc:sqlite:data/parley.db"), Path.of("."), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster")
                .hasMessageContaining("PostgreSQL");
    }

    @Test
    @DisplayName("the pruner applies max-age and max-messages-per-room")
    void pruner() {
        MemoryMessageStore store = new MemoryMessageStore(1000);
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        for (int i = 1; i <= 10; i++) {
            store.append(new StoredMessage("#r", i, now.minusSeconds(3600L * (10 - i)), "a", "#r", "m" + i));
        }
        StoreSettings settings = StoreSettings.from(ConfigFactory.parseString(
                "retention { max-age = 5h, max-messages-per-room = 3 }")
                .withFallback(ConfigFactory.load().getConfig("parley.store")));
        try (StorePruner pruner = new StorePruner(store, settings, Clock.fixed(now, ZoneOffset.UTC))) {
            assertThat(pruner.pruneOnce()).isEqualTo(7);
        }
        assertThat(store.lastMsgId("#r")).hasValue(10);
    }
}
