package dev.parley.core.spi.cluster;

import java.util.Map;
import java.util.Optional;

/**
 * A map of strings shared by every node; each operation is atomic cluster-wide. Any operation throws
 * {@link ClusterException} when the cluster cannot serve it now (no majority reachable, a timeout).
 */
public interface SharedMap {

    Optional<String> get(String key);

    /** @return the value already there (and nothing changed), or empty when this value was stored */
    Optional<String> putIfAbsent(String key, String value);

    void put(String key, String value);

    /** Removes the entry only if it still maps to that value; true if it did. */
    boolean remove(String key, String value);

    /**
     * Replaces the value only if the key still maps to {@code expected}, atomically where the implementation
     * can (the default is two steps: another node may slip in between and the call then returns false).
     *
     * @return true when the value was replaced
     */
    default boolean replace(String key, String expected, String value) {
        return remove(key, expected) && putIfAbsent(key, value).isEmpty();
    }

    /** Stores every entry; implementations send them in one batch where they can. */
    default void putAll(Map<String, String> entries) {
        entries.forEach(this::put);
    }

    /** Removes the entry whatever its value. */
    default void delete(String key) {
        for (Optional<String> value = get(key); value.isPresent() && !remove(key, value.get()); value = get(key)) {
            Thread.onSpinWait();
        }
    }

    /** A copy of every entry, in no particular order; for small maps. */
    Map<String, String> snapshot();

    int size();
}
