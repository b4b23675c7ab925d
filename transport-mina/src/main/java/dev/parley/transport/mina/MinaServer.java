package dev.parley.transport.mina;

import dev.parley.core.net.ConnectionHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.mina.core.session.IoSession;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * The TCP listener: accepts connections with Apache MINA, decodes their frames with Parley's codec and hands
 * them to core's {@link ConnectionHandler}.
 *
 * <p>There is deliberately no {@code ExecutorFilter}: core queues each session's input and runs handlers on
 * its own workers, so I/O threads only decode and enqueue. Limits come from {@link TransportSettings}:
 * connections over {@code max-connections} read {@code BYE SERVER_FULL} and are closed without reaching core;
 * sessions whose unread output passes {@code max-pending-bytes} get {@code BYE SLOW_CONSUMER}; more than
 * {@code max-connections-per-address} from one IP read {@code BYE TOO_MANY_CONNECTIONS}; a connection that sends
 * no line within {@code handshake-timeout} reads {@code BYE TIMEOUT}. With a TLS context, MINA's
 * {@code SslFilter} comes first in the chain and the same protocol runs inside TLS 1.2 or 1.3.
 */
public final class MinaServer implements AutoCloseable {
    /**
     * Connections the kernel may hold before they are accepted. MINA's default of 50 drops SYNs when many
     * clients connect at once (a reconnect storm after a restart); the kernel caps this at somaxconn.
     */
    private static final int ACCEPT_BACKLOG = 1024;
    /**
     * MINA allocates a fresh buffer of the session's read-buffer size for every read and adapts the size per
     * session (doubled after a read that filled it, halved after one that used less than half). Its default
     * start, 2 KiB, is paid by every new connection for reads of a few dozen bytes (NICK, JOIN), and 10,000
     * connections registering at once turn that into 20 MB of heap garbage; busy connections grow past this
     * within a few reads.
     */
    private static final int FIRST_READ_BUFFER_BYTES = 256;

    private final TransportSettings settings;
    private final NioSocketAcceptor acceptor;
    /** The I/O threads; given to the acceptor rather than made by it, so their processor is race-free. */
    private final SimpleIoProcessorPool<NioSession> processors;
    private final ServerIoHandler handler;
    /** Handshake timeouts: one timer thread for every connection; cancelled tasks are removed at once. */
    private final ScheduledThreadPoolExecutor timer;
    private final PendingSweep sweep;

    /**
     * @param handler core, told about every admitted connection
     */
    public MinaServer(TransportSettings settings, ConnectionHandler handler) {
        this.settings = settings;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("parley-transport-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.handler = new ServerIoHandler(settings, handler, timer);
        this.processors = new SimpleIoProcessorPool<>(AtomicInterestProcessor.class, settings.ioThreads());
        this.acceptor = new DescriptorLimitAcceptor(processors, settings.descriptorWarningInterval(),
                this.handler::connectionCount);
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(ACCEPT_BACKLOG);
        acceptor.setCloseOnDeactivation(false); // stopAccepting() must leave open sessions alone
        acceptor.setSessionDataStructureFactory(new CompactSessionData());
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getSessionConfig().setReadBufferSize(FIRST_READ_BUFFER_BYTES);
        if (settings.tls() != null) {
            // First in the chain: everything after it, activity included, sees clear text.
            SslFilter tls = new SslFilter(settings.tls());
            tls.setEnabledProtocols(TlsContexts.PROTOCOLS);
            // The blocking pipeline reports a failed handshake at once instead of storing it for the next event.
            tls.setUseNonBlockingPipeline(false);
            acceptor.getFilterChain().addLast("tls", tls);
        }
        // No codec filter: ServerIoHandler decodes with a per-connection FrameAssembler (see messageReceived),
        // and MinaConnection writes only IoBuffers, which need no encoder.
        acceptor.setHandler(this.handler);
        this.sweep = new PendingSweep(() -> acceptor.getManagedSessions().values(), settings);
    }

    /**
     * Binds {@code host:port} and starts accepting.
     *
     * @return the bound address; with port 0, the port the system picked
     * @throws IOException when the address cannot be bound (in use, not local, ...)
     */
    public InetSocketAddress start() throws IOException {
        acceptor.bind(new InetSocketAddress(settings.host(), settings.port()));
        timer.scheduleWithFixedDelay(sweep, PendingSweep.INTERVAL_MILLIS, PendingSweep.INTERVAL_MILLIS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return acceptor.getLocalAddress();
    }

    /** Stops accepting new connections; open sessions stay and go on being served. */
    public void stopAccepting() {
        acceptor.unbind();
    }

    /** Unread output plus queued input of all connections at the last sweep (every 100 ms), in bytes. */
    public long pendingTotal() {
        return sweep.lastTotal();
    }

    /** Connections admitted and not yet closed (refused ones never count). */
    public int connectionCount() {
        return handler.connectionCount();
    }

    /** Connections admitted from one remote address and not yet closed (counted when a per-address limit is set). */
    public int connectionCount(java.net.InetAddress address) {
        return handler.connectionCount(address);
    }

    /**
     * Bytes read from every connection since start (after TLS: the clear text). MINA counts them for every read
     * anyway; reading the total costs the I/O path nothing.
     */
    public long bytesRead() {
        return acceptor.getStatistics().getReadBytes();
    }

    /**
     * Bytes written to every connection since start: MINA's writes (with TLS, the encrypted bytes) and those the
     * connections write into their sockets directly from the writer's thread, which MINA does not see (one
     * counter add per socket write, not per frame or recipient).
     */
    public long bytesWritten() {
        return acceptor.getStatistics().getWrittenBytes() + handler.directlyWritten();
    }

    /**
     * Closes every session at once and releases the I/O threads. For a graceful stop, shut core down first
     * (its sessions say BYE SHUTDOWN and flush), then close the transport. Idempotent. Waits for the I/O
     * threads to end, so it must not be called from one (e.g. from inside a command handler).
     */
    @Override
    public void close() {
        if (acceptor.isDisposed()) {
            return;
        }
        timer.shutdownNow();
        acceptor.unbind();
        for (IoSession session : acceptor.getManagedSessions().values()) {
            session.closeNow();
        }
        acceptor.dispose(true);
        processors.dispose(); // not the acceptor's own, so not disposed with it
    }
}
