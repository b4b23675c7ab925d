package dev.parley.cluster.hazelcast;

import com.hazelcast.map.IMap;
import dev.parley.core.spi.cluster.SharedMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link SharedMap} on a Hazelcast {@code IMap}. */
final class HazelcastMap implements SharedMap {
    private final IMap<String, String> map;

    HazelcastMap(IMap<String, String> map) {
        this.map = map;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(map.get(key));
    }

    @Override
    public Optional<String> putIfAbsent(String key, String value) {
        return Optional.ofNullable(map.putIfAbsent(key, value));
    }

    @Override
    public void put(String key, String value) {
        map.set(key, value);
    }

    @Override
    public boolean remove(String key, String value) {
        return map.remove(key, value);
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return map.replace(key, expected, value);
    }

    @Override
    public void putAll(Map<String, String> entries) {
        map.putAll(entries);
    }

    @Override
    public void delete(String key) {
        map.delete(key);
    }

    @Override
    public Map<String, String> snapshot() {
        return new HashMap<>(map);
    }

    @Override
    public int size() {
        return map.size();
    }
}
