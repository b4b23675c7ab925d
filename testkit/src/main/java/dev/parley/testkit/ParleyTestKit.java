package dev.parley.testkit;

import com.typesafe.config.Config;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.Session;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Runs plugins inside a real {@link ServerCore}, with in-memory connections instead of sockets: the way to
 * unit-test a plugin's commands exactly as clients see them (ordering, data lines, errors, events), fast.
 *
 * <pre>{@code
 * try (ParleyTestKit kit = ParleyTestKit.start(new DicePlugin(), new TestDirectory())) {
 *     TestClient alice = kit.connect("alice");
 *     assertThat(alice.send("ROLL 1d1").reply()).isEqualTo("OK ROLL 1 :1");
 * }
 * }</pre>
 *
 * With JUnit 5, a field {@code @AutoClose ParleyTestKit kit = ...} gives each test a fresh server.
 * The plugins start in the order given; {@link Builder} sets configuration and timeouts.
 * {@link #close()} shuts the server down gracefully (every client reads {@code BYE SHUTDOWN}).
 */
public final class ParleyTestKit implements AutoCloseable {

    /** How long a client waits for a line, by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final ServerCore core;
    private final Config config;
    private final List<ParleyPlugin> plugins;
    private final Duration timeout;

    private ParleyTestKit(ServerCore core, Config config, List<ParleyPlugin> plugins, Duration timeout) {
        this.core = core;
        this.config = config;
        this.plugins = plugins;
        this.timeout = timeout;
    }

    /** Starts the plugins with their reference configuration. */
    public static ParleyTestKit start(ParleyPlugin... plugins) {
        return builder().plugins(plugins).start();
    }

    /**
     * A new instance of a plugin found with {@link ServiceLoader} by its {@link ParleyPlugin#name() name},
     * as the server finds plugins: the way to run another project's plugin (e.g. {@code "chat"}, whose
     * classes its module does not export) next to yours. Put its artifact on the test path.
     *
     * @throws IllegalArgumentException naming the plugins that were found, when none has that name
     */
    public static ParleyPlugin findPlugin(String name) {
        List<ServiceLoader.Provider<ParleyPlugin>> providers = ServiceLoader.load(ParleyPlugin.class).stream().toList();
        List<String> names = new ArrayList<>();
        for (ServiceLoader.Provider<ParleyPlugin> provider : providers) {
            ParleyPlugin plugin = provider.get();
            if (plugin.name().equals(name)) {
                return plugin;
            }
            names.add(plugin.name());
        }
        throw new IllegalArgumentException("no plugin named '" + name + "' on the test module path; found: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    /** A kit to configure, then {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Opens a client connection; its {@code HELLO} has arrived when this returns. */
    public TestClient connect() {
        return connectFrom(InetAddress.getLoopbackAddress());
    }

    /**
     * Opens a client connection from another address, e.g. {@code connectFrom("10.0.0.1")}, for plugins that
     * treat clients by address (a limit on failed logins per address); its {@code HELLO} has arrived when
     * this returns.
     *
     * @param host an IP address literal; names are not looked up
     */
    public TestClient connectFrom(String host) {
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("connectFrom takes an IP address literal, not " + host);
        }
        try {
            return connectFrom(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host, e);
        }
    }

    private TestClient connectFrom(InetAddress host) {
        MemoryClient client = new MemoryClient(core, timeout, host);
        client.helloFrame();
        return client;
    }

    /**
     * Opens a client connection already registered under a name, as if a naming plugin (chat's {@code NICK})
     * had accepted it; also registers it with every {@link TestDirectory} among the plugins. With the real
     * chat plugin, send {@code NICK} instead, so that chat knows the name.
     */
    public TestClient connect(String name) {
        TestClient client = connect();
        Session session = session(client);
        List<TestDirectory> directories = directories();
        if (directories.isEmpty()) {
            session.register(name);
        }
        for (TestDirectory directory : directories) {
            directory.register(session, name);
        }
        return client;
    }

    /** Makes the clients members of a room in the {@link TestDirectory} among the plugins. */
    public void join(String room, TestClient... clients) {
        List<TestDirectory> directories = directories();
        if (directories.isEmpty()) {
            throw new IllegalStateException("join needs a TestDirectory among the plugins");
        }
        for (TestClient client : clients) {
            for (TestDirectory directory : directories) {
                directory.join(room, session(client));
            }
        }
    }

    /**
     * Waits until a condition on server-side state holds, e.g. that a plugin forgot a session once it ended,
     * which no line to a client announces. Checks every millisecond; fails with an {@link AssertionError}
     * naming {@code what} after the kit's timeout. Prefer waiting for a line when there is one.
     */
    public void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what);
            }
        }
    }

    /** The server's session of an in-memory client of this kit. */
    public Session session(TestClient client) {
        return memory(client).session();
    }

    /**
     * The client stops reading, as one whose network or application stalls: what the server writes to it from
     * now on queues in its connection, where core sees it as {@link Session#pendingBytes()} (the way to test
     * flow control), and reaches the client only after {@link #resumeReading}.
     */
    public void stopReading(TestClient client) {
        memory(client).stopReading();
    }

    /** The client reads again: everything queued arrives, in order, and its pending bytes drop to zero. */
    public void resumeReading(TestClient client) {
        memory(client).resumeReading();
    }

    /**
     * Tells the server that bytes arrived from the client without completing a line, as a transport does
     * while a line or a payload streams in slowly: a sign of life for idle timeouts, no command.
     */
    public void bytesArriving(TestClient client) {
        memory(client).bytesArriving();
    }

    /**
     * How many lines core wrote to the client as a per-connection prefix in front of a body shared between
     * recipients ({@code Connection.write(prefix, body, offset)}), e.g. resumption's {@code @seq} tag on a
     * fan-out event encoded once: shows that core did not re-encode the event per recipient.
     */
    public int sharedWrites(TestClient client) {
        return memory(client).sharedWrites();
    }

    /** The running server core, e.g. for {@link ServerCore#count()}. */
    public ServerCore core() {
        return core;
    }

    /** The resolved root configuration the plugins see (holding {@code parley}). */
    public Config config() {
        return config;
    }

    /** Graceful shutdown: clients get {@code BYE SHUTDOWN}, plugins are stopped. */
    @Override
    public void close() {
        core.shutdown(timeout);
    }

    private static MemoryClient memory(TestClient client) {
        if (client instanceof MemoryClient memory) {
            return memory;
        }
        throw new IllegalArgumentException("not an in-memory client of a ParleyTestKit: " + client);
    }

    private List<TestDirectory> directories() {
        return plugins.stream().filter(TestDirectory.class::isInstance).map(TestDirectory.class::cast).toList();
    }

    /** Plugins, configuration and timeouts of a kit; {@link #start()} starts it. */
    public static final class Builder {
        private final List<ParleyPlugin> plugins = new ArrayList<>();
        private final TestConfig config = new TestConfig();
        private Duration timeout = DEFAULT_TIMEOUT;
        private String softwareVersion = "testkit";

        private Builder() {
        }

        /** Adds a plugin; plugins start in the order added. */
        public Builder plugin(ParleyPlugin plugin) {
            plugins.add(Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        /** Adds a plugin found by name on the test module path; see {@link ParleyTestKit#findPlugin}. */
        public Builder plugin(String name) {
            return plugin(findPlugin(name));
        }

        /** Adds plugins in order. */
        public Builder plugins(ParleyPlugin... more) {
            for (ParleyPlugin plugin : more) {
                plugin(plugin);
            }
            return this;
        }

        /** Overrides settings with HOCON, e.g. {@code "parley.dice.max-dice = 5"}; later calls win. */
        public Builder config(String hocon) {
            config.add(hocon);
            return this;
        }

        /** Overrides settings with a config holding {@code parley}; later calls win. */
        public Builder config(Config overrides) {
            config.add(overrides);
            return this;
        }

        /** Overrides one setting, e.g. {@code set("parley.dice.max-dice", 5)}. */
        public Builder set(String path, Object value) {
            config.set(path, value);
            return this;
        }

        /** Overrides settings of one plugin's section: {@code pluginConfig("dice", "max-dice = 5")}. */
        public Builder pluginConfig(String plugin, String hocon) {
            config.plugin(plugin, hocon);
            return this;
        }

        /** How long a client waits for a line before failing the test; 5 seconds by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The software version announced in {@code HELLO}; {@code testkit} by default. */
        public Builder softwareVersion(String version) {
            this.softwareVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Starts the server: checks SPI versions, starts the plugins in order, builds the command table.
         *
         * @throws dev.parley.core.server.StartupException as the real server would, e.g. for a plugin that
         *                                                 rejects its configuration
         */
        public ParleyTestKit start() {
            List<ParleyPlugin> list = List.copyOf(plugins);
            Config root = config.resolve(list);
            ServerCore core = new ServerCore(CoreSettings.from(root), root, list, softwareVersion);
            try {
                core.start();
            } catch (RuntimeException e) {
                core.shutdown(Duration.ZERO);
                throw e;
            }
            return new ParleyTestKit(core, root, list, timeout);
        }
    }
}
