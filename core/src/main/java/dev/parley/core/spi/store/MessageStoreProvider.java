package dev.parley.core.spi.store;

import com.typesafe.config.Config;

/**
 * Opens a {@link MessageStore} for the URLs it knows. Found with {@link java.util.ServiceLoader}; the launcher
 * asks each provider in turn whether it {@link #accepts} {@code parley.store.url}.
 */
public interface MessageStoreProvider {

    /** A short name for logs, e.g. {@code "jdbc"}, {@code "memory"}. */
    String name();

    /** True when this provider opens stores at that URL ({@code memory:}, {@code jdbc:sqlite:...}). */
    boolean accepts(String url);

    /**
     * Opens (creating or migrating where needed) the store.
     *
     * @param store the {@code parley.store} section with its defaults
     * @param home  the distribution's home, against which relative paths resolve
     * @throws IllegalArgumentException naming the key, for a bad setting
     * @throws StoreUnavailableException when the store cannot be reached or opened; the message names the URL
     *                                   without credentials
     */
    MessageStore open(Config store, java.nio.file.Path home);
}
