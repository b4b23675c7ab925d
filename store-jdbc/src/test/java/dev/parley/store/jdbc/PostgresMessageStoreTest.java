package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.testkit.store.MessageStoreContract;
import dev.parley.testkit.store.PostgresServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL store")
class PostgresMessageStoreTest implements MessageStoreContract {
    private MessageStore store;

    @BeforeEach
    void open() {
        String url = PostgresServer.shared().newDatabase();
        store = new JdbcStoreProvider().open(ConfigFactory.parseMap(Map.of("url", url, "user", "parley")),
                Path.of("."));
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public MessageStore store() {
        return store;
    }

    @Test
    @DisplayName("is shared by the servers that open its URL: a cluster's nodes settle each other's messages from it")
    void sharedByServers() {
        assertThat(store.sharedByServers()).isTrue();
    }
}
