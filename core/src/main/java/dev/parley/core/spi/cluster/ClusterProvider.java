package dev.parley.core.spi.cluster;

import com.typesafe.config.Config;

/**
 * Starts this node's cluster membership. A cluster module provides one through {@link java.util.ServiceLoader};
 * the launcher loads it only when {@code parley.cluster.enabled = true} and hands the running
 * {@link ClusterService} to plugins.
 */
public interface ClusterProvider {

    /** A short name for logs, e.g. {@code "hazelcast"}. */
    String name();

    /**
     * Joins (or forms) the cluster.
     *
     * @param root the whole configuration (holding {@code parley}); the provider reads {@code parley.cluster}
     * @throws IllegalArgumentException naming the key, for a bad setting
     */
    ClusterService start(Config root);
}
