package dev.parley.launcher.server;

import dev.parley.core.server.StartupException;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.Version;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an assembled server in the foreground: start, log where it listens, wait for a signal, stop. */
public final class ServerRun {
    private static final Logger log = LoggerFactory.getLogger(ServerRun.class);

    private ServerRun() {
    }

    /**
     * @return the exit code, 0 after a graceful shutdown
     * @throws LaunchException when a plugin cannot start (2) or the address cannot be bound (1)
     */
    public static int run(ParleyServer server) throws InterruptedException {
        // Installed after assembly (which only reads settings) and before anything listens; a signal
        // during assembly ends the JVM the default way, with nothing to drain.
        ShutdownSignals signals = ShutdownSignals.install();
        // Fallback for ends the signal handlers do not see (SIGHUP, -Xrs, System.exit elsewhere).
        Thread hook = new Thread(server::shutdown, "parley-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        InetSocketAddress address;
        try {
            address = server.start();
        } catch (StartupException e) {
            throw new LaunchException(LaunchException.CONFIGURATION, e.getMessage(), e);
        } catch (IOException e) {
            throw new LaunchException(LaunchException.ENVIRONMENT, e.getMessage(), e);
        }
        log.info("Parley {} listening on {}:{} with plugins {}", Version.get(), address.getHostString(),
                address.getPort(), server.pluginNames());
        server.webUrl().ifPresent(url -> log.info("Open {} in a browser to chat; metrics at {}metrics", url, url));
        String signal = signals.await();
        log.info("{} received; shutting down", signal);
        server.shutdown();
        log.info("Parley stopped");
        return 0;
    }
}
