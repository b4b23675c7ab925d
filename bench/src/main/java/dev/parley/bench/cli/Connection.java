package dev.parley.bench.cli;

import dev.parley.bench.scenario.Endpoint;
import dev.parley.bench.wire.Target;
import picocli.CommandLine.Option;

/** Options every scenario shares: which server, where. */
public final class Connection {
    @Option(names = "--target", defaultValue = "parley", description = "parley, nats or irc (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "a loopback address (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "0", description = "the server's port (default: 7878 parley, 4222 nats, 6667 irc)")
    int port;

    @Option(names = "--also-port", split = ",", paramLabel = "PORT",
            description = "more servers of one cluster (Parley): members connect to --port and these in turn")
    java.util.List<Integer> alsoPorts = new java.util.ArrayList<>();

    @Option(names = "--publishers-port", defaultValue = "0", paramLabel = "PORT",
            description = "publishers connect to this server of the cluster, the other members as without it")
    int publishersPort;

    @Option(names = "--io-threads", defaultValue = "2", description = "client selector threads (default: ${DEFAULT-VALUE})")
    int ioThreads;

    /** Where each member connects: the scenario's servers and the publishers' one (0: like the others). */
    dev.parley.bench.scenario.Placement placement() {
        java.util.List<Integer> ports = new java.util.ArrayList<>();
        ports.add(endpoint().port());
        ports.addAll(alsoPorts);
        return new dev.parley.bench.scenario.Placement(ports, publishersPort);
    }

    Endpoint endpoint() {
        Target t = Target.parse(target);
        return new Endpoint(t, host, port == 0 ? t.defaultPort() : port);
    }
}
