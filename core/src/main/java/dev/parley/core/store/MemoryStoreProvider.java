package dev.parley.core.store;

import com.typesafe.config.Config;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.MessageStoreProvider;
import java.nio.file.Path;

/** Opens a {@link MemoryMessageStore} for the URL {@code memory:}. */
public final class MemoryStoreProvider implements MessageStoreProvider {
    /** The URL that selects the memory store. */
    public static final String URL = "memory:";

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public boolean accepts(String url) {
        return URL.equals(url);
    }

    @Override
    public MessageStore open(Config store, Path home) {
        return new MemoryMessageStore(StoreSettings.from(store).maxMessagesPerRoom());
    }
}
