package dev.parley.store.jdbc;

import com.typesafe.config.Config;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.MessageStoreProvider;
import java.nio.file.Path;

/** Opens SQLite ({@code jdbc:sqlite:}) and PostgreSQL ({@code jdbc:postgresql:}) stores. */
public final class JdbcStoreProvider implements MessageStoreProvider {

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public boolean accepts(String url) {
        return url != null && StoreUrl.accepts(url);
    }

    /**
     * Opens the store at {@code store.url} with {@code store.user} and {@code store.password} (each optional;
     * empty means none) and the settings of {@code store.jdbc}.
     */
    @Override
    public MessageStore open(Config store, Path home) {
        StoreUrl url = StoreUrl.parse(store.getString("url"), home);
        JdbcSettings settings = JdbcSettings.from(store);
        return JdbcMessageStore.open(url, optional(store, "user"), optional(store, "password"), settings);
    }

    private static String optional(Config store, String key) {
        if (!store.hasPath(key)) {
            return null;
        }
        String value = store.getString(key);
        return value.isEmpty() ? null : value;
    }
}
