package dev.parley.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.chat.ChatPlugin;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.filetransfer.FileTransferPlugin;
import dev.parley.heartbeat.HeartbeatPlugin;
import dev.parley.transport.mina.MinaServer;
import dev.parley.transport.mina.TransportSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real server (core, the MINA transport, chat, filetransfer and heartbeat) on 127.0.0.1 and a free port. */
public final class TestServer implements AutoCloseable {
    private final ServerCore core;
    private final MinaServer transport;
    private final int port;

    private TestServer(ServerCore core, MinaServer transport, int port) {
        this.core = core;
        this.transport = transport;
        this.port = port;
    }

    /** The spool in {@code spool}. */
    public static TestServer start(Path spool) throws IOException {
        return start(spool, Map.of());
    }

    /** As {@link #start(Path)}, with more settings, e.g. {@code parley.heartbeat.interval}. */
    public static TestServer start(Path spool, Map<String, String> extra) throws IOException {
        Map<String, Object> settings = new HashMap<>();
        settings.put("parley.server.host", "127.0.0.1");
        settings.put("parley.server.port", 0);
        settings.put("parley.filetransfer.spool-dir", spool.toString());
        settings.putAll(extra);
        List<ParleyPlugin> plugins = List.of(new ChatPlugin(), new FileTransferPlugin(), new HeartbeatPlugin());
        Config root = ConfigFactory.parseMap(settings)
                .withFallback(ConfigFactory.parseResourcesAnySyntax(TestServer.class.getClassLoader(), "reference"))
                .resolve();
        ServerCore core = new ServerCore(CoreSettings.from(root), root, plugins, "client-test");
        core.start();
        MinaServer transport = new MinaServer(TransportSettings.from(root), core);
        try {
            return new TestServer(core, transport, transport.start().getPort());
        } catch (IOException | RuntimeException e) {
            transport.close();
            core.shutdown(Duration.ZERO);
            throw e;
        }
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
        transport.stopAccepting();
        core.shutdown(Duration.ofSeconds(5));
        transport.close();
    }
}
