package dev.parley.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.client.ConnectionException;
import dev.parley.client.ConnectionListener;
import dev.parley.client.ParleyConnection;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.transport.mina.MinaServer;
import dev.parley.transport.mina.TransportSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real Parley server (core and the MINA transport) on a free loopback port, for integration tests that talk
 * TCP: the codec, limits and back-pressure are the production ones.
 *
 * <pre>{@code
 * try (EmbeddedServer server = EmbeddedServer.start(ConfigFactory.empty(), new DicePlugin());
 *      LineClient c = server.connect()) {
 *     assertThat(c.send("ROLL 1d1").reply()).isEqualTo("OK ROLL 1 :1");
 * }
 * }</pre>
 *
 * Unless the configuration says otherwise, it listens on {@code 127.0.0.1} and a port the system picks.
 */
public final class EmbeddedServer implements AutoCloseable {
    private final ServerCore core;
    private final MinaServer transport;
    private final InetSocketAddress address;
    private final Config config;

    private EmbeddedServer(ServerCore core, MinaServer transport, InetSocketAddress address, Config config) {
        this.core = core;
        this.transport = transport;
        this.address = address;
        this.config = config;
    }

    /** Starts the plugins, in order, with their reference configuration. */
    public static EmbeddedServer start(ParleyPlugin... plugins) throws IOException {
        return start(ConfigFactory.empty(), plugins);
    }

    /**
     * Starts the plugins, in order.
     *
     * @param config overrides (holding {@code parley}) over the plugins', transport's and core's reference.conf
     * @throws dev.parley.core.server.StartupException when a plugin refuses to start
     * @throws IOException                             when the address cannot be bound
     */
    public static EmbeddedServer start(Config config, ParleyPlugin... plugins) throws IOException {
        return start(config, core -> { }, plugins);
    }

    /**
     * Starts the plugins, in order, after {@code beforeStart} has prepared core, e.g. provided the
     * {@link dev.parley.core.spi.store.MessageStore} that the plugins look up when they start.
     */
    public static EmbeddedServer start(Config config, Consumer<ServerCore> beforeStart, ParleyPlugin... plugins)
            throws IOException {
        List<ParleyPlugin> list = List.of(plugins);
        TestConfig layered = new TestConfig();
        layered.add(ConfigFactory.parseMap(Map.of("parley.server.host", "127.0.0.1", "parley.server.port", 0)));
        layered.add(config);
        Config root = layered.resolve(list);
        ServerCore core = new ServerCore(CoreSettings.from(root), root, list, "embedded");
        MinaServer transport = null;
        try {
            beforeStart.accept(core);
            core.start();
            transport = new MinaServer(TransportSettings.from(root), core);
            return new EmbeddedServer(core, transport, transport.start(), root);
        } catch (IOException | RuntimeException e) {
            if (transport != null) {
                transport.close();
            }
            core.shutdown(Duration.ZERO);
            throw e;
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The bound host's address as text, e.g. {@code 127.0.0.1}. */
    public String host() {
        return address.getAddress().getHostAddress();
    }

    /** The bound port. */
    public int port() {
        return address.getPort();
    }

    /** Connects a {@link LineClient}; its {@code HELLO} has arrived when this returns. */
    public LineClient connect() throws IOException {
        return LineClient.connect(address);
    }

    /**
     * Connects with the client library, as an application would: commands get {@code @id} tags and their
     * replies ({@link dev.parley.client.Reply}) are matched to them, events go to {@code listener}, {@code PING}
     * is answered. For exact lines on the wire, or input a client would never send, use {@link #connect()}.
     *
     * @throws ConnectionException when the server does not greet within the default timeout
     */
    public ParleyConnection open(ConnectionListener listener) throws ConnectionException {
        return ParleyConnection.open(host(), port(), ParleyTestKit.DEFAULT_TIMEOUT, listener);
    }

    /** The running core, e.g. for {@link ServerCore#count()}. */
    public ServerCore core() {
        return core;
    }

    /** The TCP transport, e.g. for its byte counts. */
    public MinaServer transport() {
        return transport;
    }

    /** The resolved root configuration. */
    public Config config() {
        return config;
    }

    /** Graceful stop: stops accepting, sessions get {@code BYE SHUTDOWN}, then the transport closes. */
    @Override
    public void close() {
        transport.stopAccepting();
        core.shutdown(Duration.ofSeconds(5));
        transport.close();
    }
}
