package dev.parley.core.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * The {@code parley.store} settings (see core's reference.conf for what each means), read once at start-up.
 *
 * @param url                    where the store is: {@code memory:} or a JDBC URL
 * @param user                   the database user, empty for none; never logged
 * @param password               the database password, empty for none; never logged
 * @param maxAge                 messages older than this are pruned; {@link Duration#ZERO} keeps them forever
 * @param maxMessagesPerRoom     messages kept per conversation, the newest
 * @param pruneInterval          how often the pruner runs
 * @param maxOfflineMessages     private messages waiting for one offline account, at most
 */
public record StoreSettings(String url, String user, String password, Duration maxAge, long maxMessagesPerRoom,
                            Duration pruneInterval, int maxOfflineMessages) {

    public StoreSettings {
        require(url != null && !url.isBlank(), "parley.store.url must name a store, e.g. memory: or jdbc:sqlite:data/parley.db");
        require(user != null && password != null, "parley.store.user and parley.store.password must be strings");
        require(maxAge != null && !maxAge.isNegative(), "parley.store.retention.max-age must be 0 (forever) or more");
        require(maxMessagesPerRoom >= 1, "parley.store.retention.max-messages-per-room must be at least 1");
        require(pruneInterval != null && pruneInterval.compareTo(Duration.ofSeconds(1)) >= 0,
                "parley.store.retention.interval must be at least 1s");
        require(maxOfflineMessages >= 1, "parley.store.max-offline-messages must be at least 1");
    }

    /**
     * Reads the {@code parley.store} section (with core's reference.conf defaults applied).
     *
     * @throws IllegalArgumentException naming the key, for a missing, mistyped or out-of-range value
     */
    public static StoreSettings from(Config store) {
        try {
            return new StoreSettings(store.getString("url"), store.getString("user"), store.getString("password"),
                    store.getDuration("retention.max-age"), store.getLong("retention.max-messages-per-room"),
                    store.getDuration("retention.interval"), store.getInt("max-offline-messages"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad store setting under parley.store: " + e.getMessage(), e);
        }
    }

    /** The URL with any credentials it carries (user:password@, password=...) blanked, for logs and errors. */
    public String safeUrl() {
        return safe(url);
    }

    /** The URL with any credentials it carries (user:password@, password=...) blanked, for logs and errors. */
    public static String safe(String url) {
        String out = url.replaceAll("//[^/@]*@", "//***@");
        return out.replaceAll("(?i)(password|user)=[^&;]*", "$1=***");
    }

    /** True when messages are pruned by age. */
    public boolean prunesByAge() {
        return !maxAge.isZero();
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + safeUrl() + ", maxAge=" + maxAge + ", maxMessagesPerRoom=" + maxMessagesPerRoom
                + ", pruneInterval=" + pruneInterval + ", maxOfflineMessages=" + maxOfflineMessages + "]";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
