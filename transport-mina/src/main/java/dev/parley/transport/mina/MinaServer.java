package dev.parley.transport.mina;

import dev.parley.core.net.ConnectionHandler;
import dev.parley.transport.mina.codec.FrameDecoder;
import dev.parley.transport.mina.codec.FrameEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * The TCP listener: accepts connections with Apache MINA, decodes their frames with Parley's codec and hands
 * them to core's {@link ConnectionHandler}.
 *
 * <p>There is deliberately no {@code ExecutorFilter}: core queues each session's input and runs handlers on
 * its own workers, so I/O threads only decode and enqueue. Limits come from {@link TransportSettings}:
 * connections over {@code max-connections} read {@code BYE SERVER_FULL} and are closed without reaching core;
 * sessions whose unread output passes {@code max-pending-bytes} get {@code BYE SLOW_CONSUMER}.
 */
public final class MinaServer implements AutoCloseable {
    /**
     * Connections the kernel may hold before they are accepted. MINA's default of 50 drops SYNs when many
     * clients connect at once (a reconnect storm after a restart); the kernel caps this at somaxconn.
     */
    private static final int ACCEPT_BACKLOG = 1024;

    private final TransportSettings settings;
    private final NioSocketAcceptor acceptor;
    private final ServerIoHandler handler;

    /**
     * @param handler core, told about every admitted connection
     */
    public MinaServer(TransportSettings settings, ConnectionHandler handler) {
        this.settings = settings;
        this.handler = new ServerIoHandler(settings, handler);
        this.acceptor = new NioSocketAcceptor(settings.ioThreads());
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(ACCEPT_BACKLOG);
        acceptor.setCloseOnDeactivation(false); // stopAccepting() must leave open sessions alone
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getFilterChain().addLast("activity", new ActivityFilter());
        acceptor.getFilterChain().addLast("codec", new ProtocolCodecFilter(new FrameEncoder(),
                new FrameDecoder(settings.maxLineBytes(), settings.maxPayloadBytes())));
        acceptor.setHandler(this.handler);
    }

    /**
     * Binds {@code host:port} and starts accepting.
     *
     * @return the bound address; with port 0, the port the system picked
     * @throws IOException when the address cannot be bound (in use, not local, ...)
     */
    public InetSocketAddress start() throws IOException {
        acceptor.bind(new InetSocketAddress(settings.host(), settings.port()));
        return acceptor.getLocalAddress();
    }

    /** Stops accepting new connections; open sessions stay and go on being served. */
    public void stopAccepting() {
        acceptor.unbind();
    }

    /** Connections admitted and not yet closed (refused ones never count). */
    public int connectionCount() {
        return handler.connectionCount();
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
        acceptor.unbind();
        for (IoSession session : acceptor.getManagedSessions().values()) {
            session.closeNow();
        }
        acceptor.dispose(true);
    }
}
