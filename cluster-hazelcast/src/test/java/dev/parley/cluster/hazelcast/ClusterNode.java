package dev.parley.cluster.hazelcast;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.auth.password.PasswordHash;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.cluster.ClientAddresses;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.store.MemoryAccountStore;
import dev.parley.core.store.MemoryMessageStore;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.testkit.FreePorts;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import dev.parley.transport.mina.MinaServer;
import dev.parley.transport.mina.TransportSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One node of a test cluster in this JVM: a Hazelcast member on 127.0.0.1 plus a whole Parley server (core with
 * chat and heartbeat, MINA on port 0), the member's {@link ClusterService} handed to core as the launcher does.
 */
final class ClusterNode implements AutoCloseable {
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

    /** The operator account every node knows (auth plugin), for ANNOUNCE and KICK. */
    static final String OPERATOR = "root";
    static final String OPERATOR_PASSWORD = "cluster-test-secret";
    private static final String OPERATOR_HASH = PasswordHash.create(OPERATOR_PASSWORD.toCharArray()).toString();

    /**
     * Fast failure detection and a short resume grace, so node-death tests end in seconds. A SAY whose room
     * lives on a member that just died waits for detection (4 s) and migration: the default 5 s operation
     * timeout answered INTERNAL once in five runs on a loaded machine, so the tests allow 15 s. Two members
     * suffice for the shared structures, so that a four-node test may lose two.
     */
    private static final String TEST_SETTINGS = """
            parley.auth.failure-delay = 0s
            parley.heartbeat.resume-grace = 1s
            parley.cluster.operation-timeout = 15s
            parley.cluster.min-members = 2
            parley.cluster.hazelcast {
              "hazelcast.heartbeat.interval.seconds" = 1
              "hazelcast.max.no.heartbeat.seconds" = 4
              "hazelcast.operation.call.timeout.millis" = 4000
              "hazelcast.graceful.shutdown.max.wait" = 5
            }
            """;

    /** The account store (roles, bans, room settings) each test cluster's nodes share, by cluster name. */
    private static final Map<String, AccountStore> SHARED_STORES = new java.util.concurrent.ConcurrentHashMap<>();
    /** The message store each test cluster's nodes share, by cluster name, unless the test gives its own. */
    private static final Map<String, MessageStore> SHARED_MESSAGES = new java.util.concurrent.ConcurrentHashMap<>();

    final HazelcastCluster cluster;
    /** The cluster as this node's core and plugins see it, with faults a test may arm. */
    final FaultInjectingCluster faults;
    final ServerCore core;
    final MinaServer transport;
    final InetSocketAddress address;
    /** This node's Hazelcast member address, {@code 127.0.0.1:port}. */
    final String member;

    private ClusterNode(HazelcastCluster cluster, FaultInjectingCluster faults, ServerCore core, MinaServer transport,
                        InetSocketAddress address, String member) {
        this.member = member;
        this.cluster = cluster;
        this.faults = faults;
        this.core = core;
        this.transport = transport;
        this.address = address;
    }

    /** Starts n nodes that know each other's member ports; members start in parallel. */
    static List<ClusterNode> startCluster(String name, int n, Path sharedSpool) {
        return startCluster(name, n, sharedSpool, () -> null);
    }

    /**
     * Starts n nodes, each with the message store {@code stores} opens for it (as each server of a real cluster
     * opens its own connections to the one shared database); null for the memory store the cluster shares.
     */
    static List<ClusterNode> startCluster(String name, int n, Path sharedSpool, Supplier<MessageStore> stores) {
        return startCluster(name, n, sharedSpool, stores, Map.of());
    }

    /** As above, each node configured with {@code settings} (keys under {@code parley}) over the test's own. */
    static List<ClusterNode> startCluster(String name, int n, Path sharedSpool, Supplier<MessageStore> stores,
                                          Map<String, Object> settings) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(FreePorts.next());
        }
        List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<CompletableFuture<ClusterNode>> starting = new ArrayList<>();
        for (int port : ports) {
            starting.add(CompletableFuture.supplyAsync(
                    () -> start(name, port, members, sharedSpool, stores.get(), settings)));
        }
        return starting.stream().map(CompletableFuture::join).toList();
    }

    static ClusterNode start(String name, int port, List<String> members, Path sharedSpool) {
        return start(name, port, members, sharedSpool, null);
    }

    /** @param store the node's message store (its account store too, if it keeps one); null for the shared memory store */
    static ClusterNode start(String name, int port, List<String> members, Path sharedSpool, MessageStore store) {
        return start(name, port, members, sharedSpool, store, Map.of());
    }

    private static ClusterNode start(String name, int port, List<String> members, Path sharedSpool, MessageStore store,
                                     Map<String, Object> settings) {
        Config overrides = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.parseString(TEST_SETTINGS))
                .withFallback(ConfigFactory.parseMap(Map.of(
                        "parley.server.host", "127.0.0.1", "parley.server.port", 0,
                        "parley.cluster.name", name, "parley.cluster.host", "127.0.0.1",
                        "parley.cluster.port", port, "parley.cluster.members", members,
                        "parley.filetransfer.spool-dir", sharedSpool.toString(),
                        "parley.auth.users", Map.of(OPERATOR, OPERATOR_HASH),
                        "parley.auth.operators", List.of(OPERATOR))));
        // Found by name, as the launcher finds them: their packages are not exported.
        List<ParleyPlugin> plugins = List.of(ParleyTestKit.findPlugin("chat"), ParleyTestKit.findPlugin("filetransfer"),
                ParleyTestKit.findPlugin("heartbeat"), ParleyTestKit.findPlugin("auth"));
        Config root = overrides;
        List<ClassLoader> loaders = new ArrayList<>();
        plugins.forEach(p -> loaders.add(p.getClass().getClassLoader()));
        loaders.addAll(List.of(ServerCore.class.getClassLoader(), MinaServer.class.getClassLoader(),
                ClusterNode.class.getClassLoader()));
        for (ClassLoader loader : loaders) {
            root = root.withFallback(ConfigFactory.parseResourcesAnySyntax(loader, "reference"));
        }
        root = root.resolve();
        // Several nodes share this JVM: a node cut off (FreezeWatch) refuses appends but must not halt the JVM.
        HazelcastCluster cluster = HazelcastClusterProvider.start(root, () -> { });
        ServerCore core = new ServerCore(CoreSettings.from(root), root, plugins, "cluster-test");
        FaultInjectingCluster faults = new FaultInjectingCluster(cluster);
        core.provide(ClusterService.class, faults);
        // One store per cluster, as every node of a real cluster uses the same PostgreSQL database.
        MessageStore messages = store != null ? store
                : SHARED_MESSAGES.computeIfAbsent(name, n -> new MemoryMessageStore(1_000_000));
        core.provide(MessageStore.class, messages);
        core.provide(AccountStore.class, store != null && store.accounts().isPresent() ? store.accounts().get()
                : SHARED_STORES.computeIfAbsent(name, n -> new MemoryAccountStore()));
        core.start();
        MinaServer transport = new MinaServer(TransportSettings.from(root), core);
        try {
            InetSocketAddress address = transport.start();
            ClientAddresses.advertise(cluster, "127.0.0.1:" + address.getPort());
            return new ClusterNode(cluster, faults, core, transport, address, "127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LineClient connect() throws IOException {
        return LineClient.connect(address, CLIENT_TIMEOUT);
    }

    /** A client registered under the nick. */
    LineClient user(String nick) throws IOException {
        LineClient c = connect();
        String reply = c.command("NICK " + nick).reply();
        if (!reply.startsWith("OK NICK " + nick)) {
            throw new AssertionError("NICK " + nick + " answered " + reply);
        }
        return c;
    }

    /** Like a crash: the member vanishes from the cluster at once, then the server stops without telling it. */
    void crash() {
        cluster.hazelcast().getLifecycleService().terminate();
        transport.stopAccepting();
        core.shutdown(Duration.ofSeconds(2));
        transport.close();
    }

    /**
     * A graceful stop as {@code parley server} does it on SIGTERM: the sessions are handed over to another
     * node (their clients get {@code @next=<host:port> BYE SHUTDOWN}), then the member leaves.
     */
    @Override
    public void close() {
        transport.stopAccepting();
        String next = null;
        if (cluster.hazelcast().getLifecycleService().isRunning()) {
            try {
                ClientAddresses.withdraw(cluster);
                next = ClientAddresses.another(cluster).orElse(null);
            } catch (RuntimeException e) {
                // As the launcher does: a node left without a majority (the others stopped first) just ends its
                // sessions; a test's teardown must not fail on it.
                next = null;
            }
        }
        core.shutdown(Duration.ofSeconds(5), next);
        transport.close();
        cluster.close();
    }
}
