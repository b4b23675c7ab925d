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

    @Option(names = "--io-threads", defaultValue = "2", description = "client selector threads (default: ${DEFAULT-VALUE})")
    int ioThreads;

    Endpoint endpoint() {
        Target t = Target.parse(target);
        return new Endpoint(t, host, port == 0 ? t.defaultPort() : port);
    }
}
