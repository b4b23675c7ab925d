package dev.parley.launcher.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import dev.parley.core.server.ServerCore;
import dev.parley.transport.mina.MinaServer;
import dev.parley.web.WebMetrics;
import dev.parley.web.WebServer;
import dev.parley.web.WebSettings;

/**
 * The web module (HTTP, WebSocket transport, metrics, admin API) beside the TCP transport, into the same
 * {@link ServerCore}. The TCP transport's counts join the metrics here, read from the transport at scrape time.
 */
public final class WebModule extends AbstractModule {

    @Provides
    @Singleton
    WebSettings webSettings(Config config) {
        return WebSettings.from(config);
    }

    /** Made before core, so that the store core is given is timed into them (see StoreModule). */
    @Provides
    @Singleton
    WebMetrics webMetrics() {
        return new WebMetrics();
    }

    @Provides
    @Singleton
    WebServer webServer(WebSettings settings, ServerCore core, MinaServer tcp, WebMetrics metrics) {
        WebServer web = new WebServer(settings, core, metrics);
        metrics.gauge("parley.connections", "tcp", "Open connections", tcp::connectionCount);
        metrics.counter("parley.bytes.received", "tcp", "Bytes received from clients", tcp::bytesRead);
        metrics.counter("parley.bytes.sent", "tcp", "Bytes handed to clients' sockets", tcp::bytesWritten);
        return web;
    }
}
