/**
 * Distributed primitives for running several Parley servers as one cluster. Core defines them; a cluster
 * module (e.g. {@code dev.parley.cluster.hazelcast}) implements them and the launcher loads it only when
 * {@code parley.cluster.enabled = true}. Plugins find the running {@link dev.parley.core.spi.cluster.ClusterService}
 * with {@link dev.parley.core.spi.PluginContext#lookup}; it is absent on a single server, and a plugin then
 * behaves exactly as before.
 *
 * <p>Every primitive carries strings only, so no plugin class ever has to be deserialized by the cluster
 * library (whose class loader cannot see plugin layers).
 */
package dev.parley.core.spi.cluster;
