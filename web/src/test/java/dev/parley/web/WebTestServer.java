package dev.parley.web;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.testkit.EmbeddedServer;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** A real server for the tests: core and MINA on a free port (testkit), and this module's HTTP server on another. */
final class WebTestServer implements AutoCloseable {
    final EmbeddedServer tcp;
    final WebServer web;
    final URI url;

    private WebTestServer(EmbeddedServer tcp, WebServer web, URI url) {
        this.tcp = tcp;
        this.web = web;
        this.url = url;
    }

    static WebTestServer start(Map<String, Object> settings, ParleyPlugin... plugins) throws Exception {
        return start(settings, Optional.empty(), plugins);
    }

    /**
     * With a message store the plugins find at start, timed into the metrics as the launcher's StoreModule
     * does, and its account store as the launcher's CoreModule offers it; the TCP transport's counters join the metrics as the launcher's WebModule adds them.
     */
    static WebTestServer start(Map<String, Object> settings, Optional<MessageStore> store, ParleyPlugin... plugins)
            throws Exception {
        Config overrides = ConfigFactory.parseMap(settings);
        WebMetrics metrics = new WebMetrics();
        EmbeddedServer tcp = EmbeddedServer.start(overrides,
                core -> store.ifPresent(s -> {
                    core.provide(MessageStore.class, metrics.timed(s));
                    s.accounts().ifPresent(accounts -> core.provide(AccountStore.class, accounts));
                }), plugins);
        Config root = ConfigFactory.parseMap(Map.of("parley.http.port", 0)).withFallback(tcp.config())
                .withFallback(ConfigFactory.parseResources(WebServer.class, "/reference.conf")).resolve();
        WebServer web = new WebServer(WebSettings.from(root), tcp.core(), metrics);
        metrics.gauge("parley.connections", "tcp", "Open connections", tcp.transport()::connectionCount);
        metrics.counter("parley.bytes.received", "tcp", "Bytes received from clients", tcp.transport()::bytesRead);
        metrics.counter("parley.bytes.sent", "tcp", "Bytes handed to clients' sockets",
                tcp.transport()::bytesWritten);
        try {
            return new WebTestServer(tcp, web, web.start(() -> true).orElseThrow());
        } catch (Exception e) {
            web.close();
            tcp.close();
            throw e;
        }
    }

    URI ws() {
        return URI.create(url.toString().replaceFirst("^http", "ws") + "ws");
    }

    /** The page origin a browser would send for the client served here. */
    String origin() {
        return url.getScheme() + "://" + url.getAuthority();
    }

    @Override
    public void close() {
        tcp.close();
        web.close();
    }
}
