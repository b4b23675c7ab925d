package dev.parley.store.jdbc;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.testkit.store.AccountStoreContract;
import dev.parley.testkit.store.PostgresServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The PostgreSQL store's accounts")
class PostgresAccountStoreTest implements AccountStoreContract {
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
    public AccountStore accounts() {
        return store.accounts().orElseThrow();
    }
}
