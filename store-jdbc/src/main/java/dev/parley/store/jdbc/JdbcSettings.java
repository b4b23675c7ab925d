package dev.parley.store.jdbc;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code parley.store.jdbc} section, read once at open.
 *
 * @param poolSize          connections in the pool, at least 2
 * @param connectTimeout    the longest wait for a connection
 * @param statementTimeout  the longest a statement or commit may take (whole seconds)
 * @param queueSize         appends and deposits that may wait for the writer
 * @param maxBatch          the most writes committed in one transaction
 * @param sqliteSynchronous SQLite's synchronous pragma, FULL or NORMAL
 */
public record JdbcSettings(int poolSize, Duration connectTimeout, Duration statementTimeout, int queueSize,
                           int maxBatch, String sqliteSynchronous) {

    private static final String PREFIX = "parley.store.jdbc.";

    public JdbcSettings {
        require(poolSize >= 2, "pool-size", "at least 2");
        require(connectTimeout.compareTo(Duration.ofMillis(250)) >= 0, "connect-timeout", "at least 250ms");
        require(statementTimeout.toSeconds() >= 1, "statement-timeout", "at least 1s");
        require(queueSize >= 1, "queue-size", "at least 1");
        require(maxBatch >= 1, "max-batch", "at least 1");
        sqliteSynchronous = sqliteSynchronous.toUpperCase(Locale.ROOT);
        require(sqliteSynchronous.equals("FULL") || sqliteSynchronous.equals("NORMAL"), "sqlite.synchronous",
                "FULL or NORMAL");
    }

    /** The settings in {@code store.jdbc}, each missing key taken from this module's reference.conf. */
    public static JdbcSettings from(Config store) {
        // Every reference.conf the loader sees, this module's among them (on the class path, a plain
        // getResource("/reference.conf") would find whichever module's comes first).
        Config defaults = ConfigFactory.defaultReferenceUnresolved(JdbcSettings.class.getClassLoader())
                .getConfig("parley.store.jdbc");
        Config jdbc = store.hasPath("jdbc") ? store.getConfig("jdbc").withFallback(defaults) : defaults;
        try {
            return new JdbcSettings(jdbc.getInt("pool-size"), jdbc.getDuration("connect-timeout"),
                    jdbc.getDuration("statement-timeout"), jdbc.getInt("queue-size"), jdbc.getInt("max-batch"),
                    jdbc.getString("sqlite.synchronous"));
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The defaults of reference.conf. */
    public static JdbcSettings defaults() {
        return from(ConfigFactory.empty());
    }

    private static void require(boolean valid, String key, String what) {
        if (!valid) {
            throw new IllegalArgumentException(PREFIX + key + " must be " + what);
        }
    }
}
