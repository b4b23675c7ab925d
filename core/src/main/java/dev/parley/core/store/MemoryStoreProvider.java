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
        long maxMessages = store.hasPath("memory.max-messages") ? store.getLong("memory.max-messages") : 0;
        if (maxMessages < 0) {
            throw new IllegalArgumentException("parley.store.memory.max-messages must be 0 (from the heap) or more: " + maxMessages);
        }
        return new MemoryMessageStore(StoreSettings.from(store).maxMessagesPerRoom(),
                maxMessages == 0 ? MemoryMessageStore.defaultMaxMessages() : maxMessages);
    }
}
