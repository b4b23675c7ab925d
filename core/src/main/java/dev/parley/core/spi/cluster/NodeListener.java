package dev.parley.core.spi.cluster;

/** Told when nodes come and go; see {@link ClusterService#addNodeListener}. Runs on the cluster's threads. */
public interface NodeListener {

    default void nodeJoined(String nodeId) {
    }

    /** The node left or was declared dead; its sessions' shared state is now the others' to clean up. */
    default void nodeLeft(String nodeId) {
    }
}
