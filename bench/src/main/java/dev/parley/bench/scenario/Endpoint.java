package dev.parley.bench.scenario;

import dev.parley.bench.wire.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where the load goes and how it is spoken. Only loopback addresses are accepted: the load tool is for
 * servers on this machine, never a network.
 */
public record Endpoint(Target target, String host, int port) {

    public Endpoint {
        if (target == null) {
            throw new IllegalArgumentException("a target is required: parley, nats or irc");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host: " + host);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("the load tool only drives servers on loopback (127.0.0.0/8, ::1): " + host);
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }
}
