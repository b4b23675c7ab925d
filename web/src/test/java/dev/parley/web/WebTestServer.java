package dev.parley.web;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.testkit.EmbeddedServer;
import java.net.URI;
import java.util.Map;

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
        Config overrides = ConfigFactory.parseMap(settings);
        EmbeddedServer tcp = EmbeddedServer.start(overrides, plugins);
        Config root = ConfigFactory.parseMap(Map.of("parley.http.port", 0)).withFallback(tcp.config())
                .withFallback(ConfigFactory.parseResources(WebServer.class, "/reference.conf")).resolve();
        WebServer web = new WebServer(WebSettings.from(root), tcp.core());
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
