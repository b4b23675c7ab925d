package dev.parley.launcher.server;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a request for a graceful shutdown. A JVM shutdown hook would do the
 * work too, but the process would then exit 143 (130 for INT); handling the signals lets the command
 * finish its shutdown and exit 0, which service managers read as a clean stop.
 */
final class ShutdownSignals {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String signal;

    private ShutdownSignals() {
    }

    /** Installs the handlers; call before the server starts so an early signal is not lost. */
    static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signals::received);
            } catch (IllegalArgumentException unavailable) {
                // e.g. the JVM runs with -Xrs: the shutdown hook is the fallback.
                log.debug("cannot handle SIG{}: {}", name, unavailable.getMessage());
            }
        }
        return signals;
    }

    private void received(Signal received) {
        if (requested.getCount() == 0) {
            log.info("SIG{} received; shutdown already in progress", received.getName());
            return;
        }
        signal = "SIG" + received.getName();
        requested.countDown();
    }

    /** Blocks until a signal asked for shutdown; returns its name, e.g. {@code SIGTERM}. */
    String await() throws InterruptedException {
        requested.await();
        return signal;
    }
}
