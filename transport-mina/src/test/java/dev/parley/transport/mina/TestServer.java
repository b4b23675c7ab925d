package dev.parley.transport.mina;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The real core with {@link TestPlugin} behind a {@link MinaServer} on a free loopback port. */
final class TestServer implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final ServerCore core;
    final MinaServer transport;
    final InetSocketAddress address;

    private TestServer(CoreSettings coreSettings, TransportSettings settings) throws IOException {
        core = new ServerCore(coreSettings, ConfigFactory.load(), List.of(new TestPlugin()), "test");
        core.start();
        transport = new MinaServer(settings, core);
        address = transport.start();
    }

    static TestServer start() throws IOException {
        return start(1000, 4 * 1024 * 1024);
    }

    static TestServer start(int maxConnections, long maxPendingBytes) throws IOException {
        return start(new CoreSettings("parley", 4, 256), settings(maxConnections, maxPendingBytes));
    }

    /** Default test transport settings: plain, no per-address limit, no handshake timeout. */
    static TransportSettings settings(int maxConnections, long maxPendingBytes) {
        return new TransportSettings("127.0.0.1", 0, maxConnections, 4096, 1024 * 1024, maxPendingBytes, 2);
    }

    static TestServer start(CoreSettings core, TransportSettings transport) throws IOException {
        return new TestServer(core, transport);
    }

    LineClient connect() throws IOException {
        return new LineClient(address, 0);
    }

    /** Waits for a condition of the server's state, failing after {@link #TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        transport.close();
        core.shutdown(Duration.ofSeconds(2));
    }
}
