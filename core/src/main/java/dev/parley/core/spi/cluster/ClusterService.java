package dev.parley.core.spi.cluster;

import java.util.Set;

/**
 * This server's view of the cluster: its own node id, the nodes present, and named shared structures.
 * Structures with the same name are the same structure on every node. Thread-safe.
 */
public interface ClusterService extends AutoCloseable {

    /** This node's id, unique in the cluster while it runs (a new one after a restart). */
    String nodeId();

    /** The ids of the nodes in the cluster now, this one included. */
    Set<String> nodes();

    /** The shared map with that name, created empty on first use. */
    SharedMap map(String name);

    /**
     * The shared log with that name: a totally ordered, bounded sequence of entries.
     *
     * @param capacity entries kept; older ones are overwritten. The first call on any node fixes it.
     */
    SharedLog log(String name, int capacity);

    /** The broadcast channel with that name. */
    Channel channel(String name);

    /** Tells the listener when nodes join or leave (cleanly or by failure). */
    void addNodeListener(NodeListener listener);

    /** Leaves the cluster; shared structures live on in the other nodes. Must not throw. */
    @Override
    void close();
}
