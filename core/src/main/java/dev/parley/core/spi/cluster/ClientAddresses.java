package dev.parley.core.spi.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where each server of the cluster takes clients: map {@code parley.cluster.clients}, node id to the
 * {@code host:port} its clients connect to. A stopping server tells its clients another server's address
 * ({@code @next=<host:port> BYE SHUTDOWN}) from here.
 */
public final class ClientAddresses {
    static final String MAP = "parley.cluster.clients";

    private ClientAddresses() {
    }

    /** Records this server's client address, {@code host:port}. */
    public static void advertise(ClusterService cluster, String hostPort) {
        cluster.map(MAP).put(cluster.nodeId(), hostPort);
    }

    /** Forgets this server's client address: it takes no more clients. */
    public static void withdraw(ClusterService cluster) {
        SharedMap map = cluster.map(MAP);
        map.get(cluster.nodeId()).ifPresent(address -> map.remove(cluster.nodeId(), address));
    }

    /** The client address of another server now in the cluster, chosen at random; empty when there is none. */
    public static Optional<String> another(ClusterService cluster) {
        Set<String> present = cluster.nodes();
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, String> e : cluster.map(MAP).snapshot().entrySet()) {
            if (!e.getKey().equals(cluster.nodeId()) && present.contains(e.getKey())) {
                others.add(e.getValue());
            }
        }
        return others.isEmpty() ? Optional.empty()
                : Optional.of(others.get(ThreadLocalRandom.current().nextInt(others.size())));
    }
}
