package dev.parley.launcher.server;

import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.transport.mina.MinaServer;
import dev.parley.transport.mina.TransportSettings;
import dev.parley.web.WebServer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A whole Parley server: core with its plugins behind the transport. Starts once, stops once. */
@Singleton
public final class ParleyServer {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);

    private final ServerCore core;
    private final MinaServer transport;
    private final Duration shutdownTimeout;
    private final String address;
    private final Optional<ClusterService> cluster;
    private final WebServer web;
    private volatile boolean accepting;
    private boolean started;
    private boolean stopped;

    @Inject
    ParleyServer(ServerCore core, MinaServer transport, LauncherSettings settings, TransportSettings transportSettings,
                 Optional<ClusterService> cluster, WebServer web) {
        this.core = core;
        this.web = web;
        this.cluster = cluster;
        this.transport = transport;
        this.shutdownTimeout = settings.shutdownTimeout();
        this.address = transportSettings.host() + ":" + transportSettings.port();
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
            throw e;
        }
        started = true;
        InetSocketAddress bound;
        try {
            bound = transport.start();
        } catch (IOException e) {
            shutdown();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
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
        return bound;
    }

    /** The URL of the HTTP server (browser client, WebSocket, metrics), once started; empty when disabled. */
    public Optional<URI> webUrl() {
        return web.url();
    }

    /** Names of the running plugins, in start order. */
    public List<String> pluginNames() {
        return core.pluginNames();
    }

    /**
     * Graceful stop: accept no more connections, let every session finish what it queued and read
     * {@code BYE SHUTDOWN} (up to the shutdown timeout), stop the plugins, release the transport. Idempotent.
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
            boolean clean = core.shutdown(shutdownTimeout);
            if (!clean) {
                log.warn("some sessions did not end within {}", shutdownTimeout);
            }
        }
        // Left after the sessions ended, so their LEFT events and freed nicks reached the other nodes.
        cluster.ifPresent(ClusterService::close);
        web.close();
        transport.close();
    }
}
