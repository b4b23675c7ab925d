package dev.parley.core.spi.cluster;

import java.util.Map;
import java.util.Optional;

/** A map of strings shared by every node; each operation is atomic cluster-wide. */
public interface SharedMap {

    Optional<String> get(String key);

    /** @return the value already there (and nothing changed), or empty when this value was stored */
    Optional<String> putIfAbsent(String key, String value);

    void put(String key, String value);

    /** Removes the entry only if it still maps to that value; true if it did. */
    boolean remove(String key, String value);

    /** A copy of every entry, in no particular order; for small maps. */
    Map<String, String> snapshot();

    int size();
}
