package dev.parley.bench.scenario;

import java.util.List;

/**
 * Which server of a cluster each member connects to: the members in turn over {@code ports}, except the
 * publishers, who all connect to {@code publishersPort} when it is set. One port: a single server.
 *
 * @param ports          the servers' ports on the endpoint's host, the endpoint's own first
 * @param publishersPort the publishers' server, or 0 to place them like the other members
 */
public record Placement(List<Integer> ports, int publishersPort) {

    public Placement {
        ports = List.copyOf(ports);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("at least one port is needed");
        }
        for (int port : ports) {
            check(port);
        }
        if (publishersPort != 0) {
            check(publishersPort);
        }
    }

    /** Everyone on the endpoint's server. */
    public static Placement single(Endpoint endpoint) {
        return new Placement(List.of(endpoint.port()), 0);
    }

    /** The port of member {@code index} (its place among all members), a publisher or not. */
    public int portOf(int index, boolean publisher) {
        if (publisher && publishersPort != 0) {
            return publishersPort;
        }
        return ports.get(index % ports.size());
    }

    /** How many servers the members connect to. */
    public int servers() {
        return ports.size() + (publishersPort != 0 && !ports.contains(publishersPort) ? 1 : 0);
    }

    /** True when members connect to more than one server. */
    public boolean spread() {
        return ports.size() > 1 || publishersPort != 0 && publishersPort != ports.get(0);
    }

    private static void check(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
    }
}
