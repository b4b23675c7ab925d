package dev.parley.launcher.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.plugins.PluginCatalog;
import dev.parley.launcher.server.ParleyServer;
import dev.parley.launcher.server.ServerAssembly;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** A real server in-process, assembled the way {@code parley server} does, on a free port. */
public final class TestServer implements AutoCloseable {
    private final ParleyServer server;
    private final int port;

    private TestServer(ParleyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** chat, filetransfer and heartbeat, the spool in {@code spool}. */
    public static TestServer start(Path spool) throws IOException {
        return start(spool, Map.of());
    }

    /** As {@link #start(Path)}, with more settings, e.g. {@code parley.heartbeat.interval} or {@code parley.plugins}. */
    public static TestServer start(Path spool, Map<String, String> extra) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("parley.server.port", "0");
        // In-process servers keep nothing: the default SQLite file would outlive the test and leak into the next.
        properties.setProperty("parley.store.url", "memory:");
        properties.setProperty("parley.http.port", "0");
        properties.setProperty("parley.plugins", "[chat, filetransfer, heartbeat]");
        properties.putAll(extra);
        properties.setProperty("parley.filetransfer.spool-dir", spool.toString());
        PluginCatalog catalog = PluginCatalog.discover(Optional.empty());
        Config config = ConfigLoader.load(ConfigLoader.reference(catalog.classLoaders()), Optional.empty(),
                properties, ConfigFactory.empty());
        LauncherSettings settings = LauncherSettings.from(config);
        ParleyServer server = ServerAssembly.build(config, settings, catalog.select(settings.plugins()));
        return new TestServer(server, server.start().getPort());
    }

    /** As {@link #start(Path)} on a given port: a restart of a server the clients know. */
    public static TestServer startOn(Path spool, int port) throws IOException {
        return start(spool, Map.of("parley.server.port", Integer.toString(port)));
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
