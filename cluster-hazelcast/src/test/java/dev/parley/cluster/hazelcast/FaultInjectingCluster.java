package dev.parley.cluster.hazelcast;

import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.NodeListener;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.SharedMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster as a test node's plugins see it: the real one, with one fault a test can arm. The next read of
 * one key of one map fails as Hazelcast fails it on a member without a majority, a fault that otherwise comes
 * only from timing (a split, a migration) and so cannot be placed at one step of a command.
 */
final class FaultInjectingCluster implements ClusterService {
    private final ClusterService cluster;
    /** {@code map LF key} of reads to fail once. */
    private final Set<String> failNextRead = ConcurrentHashMap.newKeySet();

    FaultInjectingCluster(ClusterService cluster) {
        this.cluster = cluster;
    }

    /** The next {@code get(key)} on map {@code name} throws {@link ClusterException}. */
    void failNextRead(String name, String key) {
        failNextRead.add(name + "\n" + key);
    }

    @Override
    public String nodeId() {
        return cluster.nodeId();
    }

    @Override
    public Set<String> nodes() {
        return cluster.nodes();
    }

    @Override
    public SharedMap map(String name) {
        SharedMap map = cluster.map(name);
        return new SharedMap() {
            @Override
            public Optional<String> get(String key) {
                if (failNextRead.remove(name + "\n" + key)) {
                    throw new ClusterException("the cluster did not serve " + name + " (a fault of the test)", null);
                }
                return map.get(key);
            }

            @Override
            public Optional<String> putIfAbsent(String key, String value) {
                return map.putIfAbsent(key, value);
            }

            @Override
            public void put(String key, String value) {
                map.put(key, value);
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
                return map.snapshot();
            }

            @Override
            public int size() {
                return map.size();
            }
        };
    }

    @Override
    public SharedLog log(String name, int capacity) {
        return cluster.log(name, capacity);
    }

    @Override
    public Channel channel(String name) {
        return cluster.channel(name);
    }

    @Override
    public void addNodeListener(NodeListener listener) {
        cluster.addNodeListener(listener);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
