package dev.parley.cluster.hazelcast;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.SharedMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link SharedMap} on a Hazelcast {@code IMap}. Hazelcast's failures (no majority for the split-brain
 * protection, an operation timing out, this member shutting down) surface as {@link ClusterException}, which
 * the server answers with {@code CLUSTER_UNAVAILABLE} rather than as a fault of its own.
 */
final class HazelcastMap implements SharedMap {
    private final IMap<String, String> map;

    HazelcastMap(IMap<String, String> map) {
        this.map = map;
    }

    @Override
    public Optional<String> get(String key) {
        return call(() -> Optional.ofNullable(map.get(key)));
    }

    @Override
    public Optional<String> putIfAbsent(String key, String value) {
        return call(() -> Optional.ofNullable(map.putIfAbsent(key, value)));
    }

    @Override
    public void put(String key, String value) {
        call(() -> {
            map.set(key, value);
            return null;
        });
    }

    @Override
    public boolean remove(String key, String value) {
        return call(() -> map.remove(key, value));
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return call(() -> map.replace(key, expected, value));
    }

    @Override
    public void putAll(Map<String, String> entries) {
        call(() -> {
            map.putAll(entries);
            return null;
        });
    }

    @Override
    public void delete(String key) {
        call(() -> {
            map.delete(key);
            return null;
        });
    }

    @Override
    public Map<String, String> snapshot() {
        return call(() -> new HashMap<>(map));
    }

    @Override
    public int size() {
        return call(map::size);
    }

    private <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (HazelcastException | HazelcastInstanceNotActiveException e) {
            throw new ClusterException("the cluster did not serve " + map.getName() + ": " + e.getMessage(), e);
        }
    }
}
