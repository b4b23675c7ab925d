/**
 * The load tool behind {@code parley bench}: drives a running Parley server, nats-server or an IRC server
 * over loopback sockets with the same scenarios, and prints a summary plus one {@code RESULT} line.
 * Its load scenarios depend on no other Parley module on purpose: they speak the wire protocol as any client
 * would. The cluster soak ({@code parley bench soak}) uses the client library, because what it proves is that
 * a reconnecting client with {@code RESUME} loses nothing.
 */
module dev.parley.bench {
    requires info.picocli;
    requires dev.parley.client;
    requires HdrHistogram;
    requires java.management;
    requires jdk.management;
    requires java.net.http; // Parley's /metrics, polled during the overload scenarios

    exports dev.parley.bench.cli;
    exports dev.parley.bench.soak;
    // picocli sets @Option fields reflectively.
    opens dev.parley.bench.cli to info.picocli;
}
