/**
 * The load tool behind {@code parley bench}: drives a running Parley server, nats-server or an IRC server
 * over loopback sockets with the same scenarios, and prints a summary plus one {@code RESULT} line.
 * Depends on no other Parley module on purpose: it speaks the wire protocol as any client would.
 */
module dev.parley.bench {
    requires info.picocli;
    requires HdrHistogram;
    requires java.management;
    requires jdk.management;

    exports dev.parley.bench.cli;
    // picocli sets @Option fields reflectively.
    opens dev.parley.bench.cli to info.picocli;
}
