package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.store.jdbc.JdbcStoreProvider;
import dev.parley.testkit.store.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timing wrapper keeps what the store says of itself: a cluster node decides by it when to answer a SAY. */
class TimedMessageStoreTest {
    @TempDir
    Path home;

    @Test
    @DisplayName("a PostgreSQL store stays shared by servers behind the wrapper, an SQLite file does not")
    void sharedByServersPassesThrough() {
        String url = PostgresServer.shared().newDatabase();
        try (MessageStore postgres = open(url, home);
             MessageStore sqlite = open("jdbc:sqlite:data/parley.db", home)) {
            assertThat(new TimedMessageStore(postgres, new SimpleMeterRegistry()).sharedByServers()).isTrue();
            assertThat(new TimedMessageStore(sqlite, new SimpleMeterRegistry()).sharedByServers()).isFalse();
        }
    }

    private static MessageStore open(String url, Path home) {
        Map<String, Object> settings = url.startsWith("jdbc:postgresql:") ? Map.of("url", url, "user", "parley")
                : Map.of("url", url);
        return new JdbcStoreProvider().open(ConfigFactory.parseMap(settings), home);
    }
}
