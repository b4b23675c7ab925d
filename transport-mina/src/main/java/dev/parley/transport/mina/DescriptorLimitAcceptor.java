package dev.parley.transport.mina;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.core.service.IoService;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's acceptor, but out of file descriptors it logs one line per interval saying what to raise instead of
 * an ERROR with a stack trace for every attempt (MINA's own), and keeps serving: the connections that could
 * not be accepted wait in the kernel's backlog and are accepted as soon as descriptors free up (each attempt
 * pauses the accepting thread briefly, so a full table does not spin it).
 */
final class DescriptorLimitAcceptor extends NioSocketAcceptor {
    private static final Logger log = LoggerFactory.getLogger(DescriptorLimitAcceptor.class);
    /** Pause after a refused accept: the pending connection is still selected at once, and nothing frees a descriptor faster. */
    private static final long PAUSE_MILLIS = 50;

    /**
     * MINA's session for an accepted socket. Its class is package-private; MINA is an automatic module, which
     * opens every package, so its public constructor can be called once made accessible. Overriding
     * {@code accept} is the only way to keep MINA's own handling of a full descriptor table (an ERROR with a
     * stack trace per attempt, every 50 ms) out of the log.
     */
    private static final Constructor<?> SESSION = sessionConstructor();

    private final long intervalNanos;
    private final IntSupplier connections;
    /**
     * Asked for the descriptor counts. Made now: its native library is loaded on first use, which needs a
     * descriptor, and there is none left when it is needed.
     */
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    /** Guarded by the acceptor thread: only it calls accept. */
    private long lastWarning;
    private boolean exhausted;
    private long refusedSinceWarning;

    /** @param connections the connections served now, for the log line */
    DescriptorLimitAcceptor(IoProcessor<NioSession> processors, Duration interval, IntSupplier connections) {
        super(processors);
        this.intervalNanos = interval.toNanos();
        this.connections = connections;
        descriptorUse(); // loads the native side while descriptors are to be had
    }

    @Override
    protected NioSession accept(IoProcessor<NioSession> processor, ServerSocketChannel handle) throws Exception {
        SocketChannel channel;
        try {
            channel = handle.accept();
        } catch (IOException e) {
            if (!isOutOfDescriptors(e)) {
                throw e;
            }
            outOfDescriptors(e);
            Thread.sleep(PAUSE_MILLIS);
            return null;
        }
        if (channel == null) {
            return null;
        }
        if (exhausted) {
            exhausted = false;
            log.info("accepting connections again: file descriptors were freed ({} connections served)",
                    connections.getAsInt());
        }
        try {
            return (NioSession) SESSION.newInstance(this, processor, channel);
        } catch (InvocationTargetException e) {
            channel.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Constructor<?> sessionConstructor() {
        try {
            Constructor<?> constructor = Class.forName("org.apache.mina.transport.socket.nio.NioSocketSession")
                    .getConstructor(IoService.class, IoProcessor.class, SocketChannel.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("this MINA has no NioSocketSession(IoService, IoProcessor,"
                    + " SocketChannel); the transport was built for mina-core 2.2: " + e);
        }
    }

    /** EMFILE (the process's limit) or ENFILE (the system's), as the JDK words them. */
    static boolean isOutOfDescriptors(IOException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Too many open files");
    }

    private void outOfDescriptors(IOException e) {
        exhausted = true;
        refusedSinceWarning++;
        long now = System.nanoTime();
        if (lastWarning != 0 && now - lastWarning < intervalNanos) {
            return;
        }
        lastWarning = now;
        log.warn("out of file descriptors ({}): serving {} connections, {}; new connections wait in the accept"
                        + " backlog until some close ({} accept attempts failed since the last warning). Raise the"
                        + " limit (ulimit -n, or LimitNOFILE= in a systemd unit) or lower"
                        + " parley.limits.max-connections; see docs/operations.md", e.getMessage(),
                connections.getAsInt(), descriptorUse(), refusedSinceWarning);
        refusedSinceWarning = 0;
    }

    /**
     * The process's limit where the JDK can tell (Unix). Not the count of open ones: counting opens
     * /proc/self/fd, which needs the descriptor there is none of.
     */
    private String descriptorUse() {
        try {
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return "the limit is " + unix.getMaxFileDescriptorCount() + " descriptors";
            }
        } catch (RuntimeException | LinkageError | InternalError unavailable) {
            // the limit is a courtesy; the warning goes out without it
        }
        return "the process's descriptor limit reached";
    }
}
