package dev.parley.web;

import dev.parley.core.server.ServerCore;
import dev.parley.web.admin.AdminApi;
import dev.parley.web.http.ClientAddresses;
import dev.parley.web.http.OriginPolicy;
import dev.parley.web.http.Routes;
import dev.parley.web.ws.WebSocketTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The embedded HTTP server (Jetty 12): {@code /ws} (the WebSocket transport, into the same {@link ServerCore}
 * as TCP), {@code /} (the browser client), {@code /healthz}, {@code /readyz}, {@code /metrics} and the admin
 * API under {@code /api/v1/}. Started after core, stopped after core's graceful shutdown.
 */
public final class WebServer implements AutoCloseable {
    /** Jetty's threads: the HTTP handlers are short; WebSocket reads only queue into core. */
    private static final int MAX_THREADS = 32;
    /** Largest request body the admin API reads (an announce text, a kick reason). */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final WebSettings settings;
    private final ServerCore core;
    private final WebMetrics metrics;
    private final ScheduledThreadPoolExecutor timer;
    private final WebSocketTransport webSockets;
    private Server jetty;
    private WebSocketUpgradeHandler upgrades;
    private URI url;

    public WebServer(WebSettings settings, ServerCore core) {
        this(settings, core, new WebMetrics());
    }

    /**
     * With metrics made before core (so that the store core is given can be {@link WebMetrics#timed timed}
     * into them).
     */
    public WebServer(WebSettings settings, ServerCore core, WebMetrics metrics) {
        this.settings = settings;
        this.core = core;
        this.metrics = metrics;
        metrics.flow(core);
        metrics.messages(core);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("parley-web-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.webSockets = new WebSocketTransport(settings, core, new ClientAddresses(settings.trustedProxies()),
                new OriginPolicy(settings.allowedOrigins()), timer);
        webSockets.metrics(metrics.webSocket());
        metrics.gauge("parley.connections", "websocket", "Open connections", webSockets::connectionCount);
        metrics.gauge("parley.sessions", "Sessions (registered or not), detached ones waiting for RESUME included",
                core::count);
        metrics.gauge("parley.rooms", "Rooms on this server", () -> Routes.directory(core)
                .map(d -> d.rooms().size()).orElse(0));
    }

    /** The metrics, for the launcher to add the TCP transport's counters. */
    public WebMetrics metrics() {
        return metrics;
    }

    public WebSettings settings() {
        return settings;
    }

    /**
     * Listens, unless {@code parley.http.enabled} is false.
     *
     * @param accepting true while the server accepts connections (for /readyz)
     * @return the server's URL (with the real port when configured with 0), or empty when disabled
     * @throws IOException when the address cannot be bound; the message names it
     */
    public synchronized Optional<URI> start(BooleanSupplier accepting) throws IOException {
        if (!settings.enabled()) {
            return Optional.empty(); // and core is not observed: no metric would ever be read
        }
        core.observeCommands(metrics);
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("parley-web");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector;
        if (settings.tls()) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(settings.keystore().toString());
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword(settings.keystorePassword());
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // a self-signed certificate for another name must still serve
            http.addCustomizer(secure);
            connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setReuseAddress(true);
        server.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(Math.max(64 * 1024L, 4L * settings.maxLineBytes() + 2));
            container.setMaxBinaryMessageSize(Math.max(1, settings.maxPayloadBytes()));
            container.setIdleTimeout(settings.idleTimeout().isZero() ? Duration.ZERO : settings.idleTimeout());
            container.addMapping("/ws", webSockets);
        });
        AdminApi admin = new AdminApi(core, settings, metrics);
        ws.setHandler(new Routes(core, metrics, admin, accepting));
        context.setHandler(ws);
        server.setHandler(context);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw new IOException("cannot listen for HTTP on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        } catch (Exception e) {
            stopQuietly(server);
            if (e.getCause() instanceof IOException io) {
                throw new IOException("cannot listen for HTTP on " + settings.host() + ":" + settings.port() + ": "
                        + io.getMessage(), io);
            }
            throw new IllegalStateException("the HTTP server failed to start: " + e.getMessage(), e);
        }
        this.jetty = server;
        this.upgrades = ws;
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "localhost";
        }
        this.url = URI.create((settings.tls() ? "https" : "http") + "://" + host + ":" + connector.getLocalPort() + "/");
        return Optional.of(url);
    }

    /** The URL listened on, once started. */
    public synchronized Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /**
     * New WebSockets read {@code BYE SHUTDOWN} from now on; the open ones stay for core's graceful shutdown.
     * The other HTTP routes go on answering ({@code /readyz} says not ready).
     */
    public void stopAccepting() {
        webSockets.refuseNew();
    }

    /** WebSocket connections open now. */
    public int webSocketCount() {
        return webSockets.connectionCount();
    }

    /**
     * Cuts every WebSocket at once, without BYE or close frame, as a network loss would: their sessions are
     * detached and wait for RESUME (with the heartbeat plugin). For failure drills and the tests.
     *
     * @return the number of WebSockets cut
     */
    public synchronized int dropWebSockets() {
        if (upgrades == null) {
            return 0;
        }
        int n = 0;
        for (org.eclipse.jetty.websocket.api.Session session : upgrades.getServerWebSocketContainer().getOpenSessions()) {
            session.disconnect();
            n++;
        }
        return n;
    }

    /** Stops listening and closes what is still open; call after core's graceful shutdown. Idempotent. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (jetty != null) {
            stopQuietly(jetty);
            jetty = null;
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(WebServer.class).warn("the HTTP server did not stop cleanly", e);
        }
    }
}
