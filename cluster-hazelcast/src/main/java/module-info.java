/**
 * Parley's cluster primitives ({@code dev.parley.core.spi.cluster}) on an embedded Hazelcast member. Loaded by
 * the launcher from {@code lib/cluster/} only when {@code parley.cluster.enabled = true}.
 */
module dev.parley.cluster.hazelcast {
    requires dev.parley.core;
    requires com.hazelcast.core;
    requires org.slf4j;

    provides dev.parley.core.spi.cluster.ClusterProvider with dev.parley.cluster.hazelcast.HazelcastClusterProvider;
}
