/**
 * The message store SPI: where room history and private messages are kept so that they outlive a restart.
 *
 * <p>Core knows no database. A store module (the memory store in core, {@code store-jdbc} for SQLite and
 * PostgreSQL) provides a {@link dev.parley.core.spi.store.MessageStoreProvider} through
 * {@link java.util.ServiceLoader}; the launcher opens the one {@code parley.store.url} selects and offers the
 * resulting {@link dev.parley.core.spi.store.MessageStore} to plugins, which find it with
 * {@link dev.parley.core.spi.PluginContext#lookup PluginContext.lookup(MessageStore.class)}.
 */
package dev.parley.core.spi.store;
