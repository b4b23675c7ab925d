package dev.parley.launcher.store;

import com.typesafe.config.Config;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.MessageStoreProvider;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.store.StoreSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens the message store {@code parley.store.url} names, with the first {@link MessageStoreProvider} (found
 * with {@link ServiceLoader}) that accepts the URL. Every message names the URL without its credentials.
 */
public final class StoreOpener {
    private StoreOpener() {
    }

    /**
     * @param root    the root configuration (holding {@code parley})
     * @param home    the distribution's home, against which a relative SQLite path resolves
     * @param cluster whether the server is a node of a cluster: nodes must share one store, so SQLite is refused
     * @throws IllegalArgumentException for a URL no provider accepts, SQLite in a cluster, or a bad setting
     * @throws StoreUnavailableException when the store cannot be opened; its message names the URL
     */
    public static MessageStore open(Config root, Path home, boolean cluster) {
        return open(root, home, cluster, providers());
    }

    /** The same, with the providers to ask given. */
    static MessageStore open(Config root, Path home, boolean cluster, List<MessageStoreProvider> providers) {
        Config section = root.getConfig("parley.store");
        StoreSettings settings = StoreSettings.from(section);
        String shown = settings.safeUrl();
        if (cluster && settings.url().startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("parley.store.url is " + shown + ", but the nodes of a cluster"
                    + " (parley.cluster.enabled = true) need one shared PostgreSQL store: set parley.store.url to a"
                    + " jdbc:postgresql:// URL that every node reaches");
        }
        List<String> names = new ArrayList<>();
        for (MessageStoreProvider provider : providers) {
            names.add(provider.name());
            if (provider.accepts(settings.url())) {
                return provider.open(section, home);
            }
        }
        throw new IllegalArgumentException("no installed message store opens parley.store.url " + shown
                + " (installed: " + (names.isEmpty() ? "none" : String.join(", ", names))
                + "); use memory:, or a jdbc:sqlite: or jdbc:postgresql: URL with the store-jdbc module in lib/");
    }

    private static List<MessageStoreProvider> providers() {
        List<MessageStoreProvider> found = new ArrayList<>();
        ServiceLoader.load(MessageStoreProvider.class).forEach(found::add);
        return found;
    }
}
