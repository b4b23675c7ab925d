package dev.parley.chat.store;

import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.store.MessageStore;

/** Offers a given store to the plugins started after it, as the launcher offers the one parley.store.url opens. */
public record StorePlugin(MessageStore store) implements ParleyPlugin {
    @Override
    public String name() {
        return "store";
    }

    @Override
    public void start(PluginContext context) {
        context.provide(MessageStore.class, store);
    }
}
