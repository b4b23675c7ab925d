package dev.parley.launcher.server;

import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.cluster.ClientAddresses;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.store.StoreSettings;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.store.StorePruner;
import dev.parley.transport.mina.MinaServer;
import dev.parley.transport.mina.TransportSettings;
import dev.parley.web.WebServer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Parley server: core with its plugins behind the transport, and the message store they keep messages
 * in. Starts once, stops once.
 */
@Singleton
public final class ParleyServer {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);

    private final ServerCore core;
    private final MinaServer transport;
    private final Duration shutdownTimeout;
    private final String address;
    private final Optional<ClusterService> cluster;
    private final MessageStore store;
    private final StorePruner pruner;
    private final String storeUrl;
    private final WebServer web;
    private volatile boolean accepting;
    /** parley.cluster.host: the address to advertise when the client port listens on every interface. */
    private final String clusterHost;
    private boolean started;
    private boolean stopped;

    @Inject
    ParleyServer(ServerCore core, MinaServer transport, LauncherSettings settings, TransportSettings transportSettings,
                 Optional<ClusterService> cluster, MessageStore store, StoreSettings storeSettings,
                 WebServer web) {
        this.core = core;
        this.web = web;
        this.store = store;
        this.pruner = new StorePruner(store, storeSettings, Clock.systemUTC());
        this.storeUrl = storeSettings.safeUrl();
        this.cluster = cluster;
        this.transport = transport;
        this.shutdownTimeout = settings.shutdownTimeout();
        this.address = transportSettings.host() + ":" + transportSettings.port();
        this.clusterHost = core.rootConfig().hasPath("parley.cluster.host")
                ? core.rootConfig().getString("parley.cluster.host") : "";
    }

    /**
     * Starts the plugins, then listens.
     *
     * @return the address listened on (the real port when configured with port 0)
     * @throws dev.parley.core.server.StartupException when a plugin cannot start or two claim one verb
     * @throws IOException when the address cannot be bound; the message names it
     */
    public synchronized InetSocketAddress start() throws IOException {
        try {
            core.start();
        } catch (RuntimeException e) {
            stopped = true; // core stopped the plugins it had started; nothing listens yet
            transport.close();
            cluster.ifPresent(ClusterService::close);
            store.close();
            throw e;
        }
        started = true;
        log.info("messages are kept in the store at {}", storeUrl);
        pruner.start();
        InetSocketAddress bound;
        try {
            bound = transport.start();
        } catch (IOException e) {
            shutdown();
            throw new IOException("cannot listen on " + address + ": " + bindProblem(e), e);
        } catch (RuntimeException e) {
            shutdown();
            throw e;
        }
        try {
            web.start(() -> accepting); // its IOException names the HTTP address already
        } catch (IOException | RuntimeException e) {
            shutdown();
            throw e;
        }
        accepting = true;
        cluster.ifPresent(c -> ClientAddresses.advertise(c, advertised(bound)));
        return bound;
    }

    /** The URL of the HTTP server (browser client, WebSocket, metrics), once started; empty when disabled. */
    public Optional<URI> webUrl() {
        return web.url();
    }

    /**
     * What went wrong binding, in the words an operator looks for: MINA reports every failure as "Error while
     * binding", with the JDK's {@link BindException} as a cause.
     */
    static String bindProblem(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                String text = String.valueOf(bind.getMessage()).toLowerCase(Locale.ROOT);
                if (text.contains("in use")) {
                    return "address already in use (another server listens there); stop it, or choose another"
                            + " port with --port N (0: any free port)";
                }
                if (text.contains("assign")) {
                    return "cannot assign the address (it is not one of this machine's); choose another with --host";
                }
                if (text.contains("permission")) {
                    return "permission denied (ports below 1024 need privileges); choose another port with --port N";
                }
                return bind.getMessage();
            }
        }
        return e.getMessage();
    }

    /** Names of the running plugins, in start order. */
    public List<String> pluginNames() {
        return core.pluginNames();
    }

    /** Withdraws this server's client address and picks another server's; empty when the cluster cannot tell. */
    private static Optional<String> handOverTo(ClusterService cluster) {
        try {
            ClientAddresses.withdraw(cluster);
            return ClientAddresses.another(cluster);
        } catch (RuntimeException e) {
            log.warn("cannot hand the sessions over to another server: {}; they end here", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The address clients of other servers are sent to: the one listened on, or, when that is every interface,
     * the cluster's own address ({@code parley.cluster.host}) with the client port.
     */
    private String advertised(InetSocketAddress bound) {
        String host = bound.getAddress() != null && bound.getAddress().isAnyLocalAddress() ? clusterHost
                : bound.getAddress() != null ? bound.getAddress().getHostAddress() : bound.getHostString();
        if (host == null || host.isBlank()) {
            host = bound.getHostString();
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    }

    /**
     * Graceful stop: accept no more connections, let every session finish what it queued and read
     * {@code BYE SHUTDOWN} (up to the shutdown timeout), stop the plugins, release the transport, then close the
     * store, which commits what the sessions appended. Idempotent.
     */
    public synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        accepting = false;
        transport.stopAccepting();
        web.stopAccepting();
        if (started) {
            // In a cluster the sessions resume on another server, unless this one is the last.
            String next = cluster.flatMap(ParleyServer::handOverTo).orElse(null);
            if (next != null) {
                log.info("handing the sessions over: their clients resume on {}", next);
            }
            boolean clean = core.shutdown(shutdownTimeout, next);
            if (!clean) {
                log.warn("some sessions did not end within {}", shutdownTimeout);
            }
        }
        // Left after the sessions ended, so their LEFT events and freed nicks reached the other nodes.
        cluster.ifPresent(ClusterService::close);
        web.close();
        transport.close();
        // Last: the sessions' final appends (answered before they ended) and the plugins' stop may use it.
        pruner.close();
        store.close();
    }
}
