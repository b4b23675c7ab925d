package dev.parley.transport.mina;

import dev.parley.core.protocol.Frame;
import dev.parley.transport.mina.codec.FrameDecoder;
import dev.parley.transport.mina.codec.FrameEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.apache.mina.util.ExceptionMonitor;

/**
 * One client connection to a Parley server, with the same frame codec as the server. Received frames go to
 * a {@link ClientListener}, in order, one at a time, on the connection's I/O thread (no ExecutorFilter:
 * listeners must not block long). Each client owns its I/O thread, released when the connection closes.
 */
public final class MinaClient implements AutoCloseable {
    /** Longest line accepted from a server: generous, since servers are trusted more than clients. */
    static final int MAX_LINE_BYTES = 1024 * 1024;
    /** Largest payload accepted from a server. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
    /**
     * Largest read (and, by MINA's rule of one and a half times it, largest write per pass of the I/O thread):
     * a file's chunks come and go in 256 KiB and more, and MINA's default of 64 KiB made the one I/O thread
     * run its per-read path (a new buffer, the filter chain, the decoder) four times per chunk.
     */
    static final int MAX_READ_BYTES = 256 * 1024;

    static {
        quietDisposal();
    }

    /** Wraps MINA's current exception monitor in {@link QuietDisposal} unless it is one already. */
    static void quietDisposal() {
        QuietDisposal.install();
    }

    private final IoSession session;

    private MinaClient(IoSession session) {
        this.session = session;
    }

    /**
     * Connects and returns once the connection is established; the server's {@code HELLO} arrives at the
     * listener.
     *
     * @throws IOException with a message like {@code cannot connect to host:7878: Connection refused}
     */
    public static MinaClient connect(String host, int port, Duration connectTimeout, ClientListener listener)
            throws IOException {
        return connect(host, port, connectTimeout, listener, null);
    }

    /**
     * Connects like {@link #connect(String, int, Duration, ClientListener)}, inside TLS when {@code tls} is
     * given (to a server with {@code parley.tls.enabled = true}). The handshake runs after this returns: a
     * certificate the client does not trust, or a host name it does not name, closes the connection and the
     * listener gets {@code disconnected(cause)} with an {@link javax.net.ssl.SSLException} instead of HELLO.
     *
     * @param tls how to trust the server (see {@link ClientTls}), or null for plain TCP
     */
    public static MinaClient connect(String host, int port, Duration connectTimeout, ClientListener listener,
                                     ClientTls tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        String target = host + ":" + port;
        if (address.isUnresolved()) {
            throw new IOException("cannot connect to " + target + ": unknown host");
        }
        // The server's processor: a server that resets the connection is reported to the listener, not logged at
        // ERROR with a stack trace by MINA's own processor.
        NioSocketConnector connector = new NioSocketConnector(AtomicInterestProcessor.class, 1);
        connector.setConnectTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.getSessionConfig().setMaxReadBufferSize(MAX_READ_BYTES);
        if (tls != null) {
            connector.getFilterChain().addLast("tls", new ClientSslFilter(tls, host));
        }
        connector.getFilterChain().addLast("codec", new ProtocolCodecFilter(new FrameEncoder(),
                // The server is the one peer: each payload (a FETCH's chunks) is allocated once, at its size, or
                // taken from the arrays a download gave back (PayloadArrays).
                new FrameDecoder(MAX_LINE_BYTES, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES, PayloadArrays::take)));
        connector.setHandler(new ClientIoHandler(listener, () -> dispose(connector)));
        ConnectFuture future = connector.connect(address);
        boolean done = future.awaitUninterruptibly(connectTimeout.toMillis() + 1000);
        if (!done || !future.isConnected()) {
            future.cancel();
            dispose(connector);
            Throwable cause = done ? future.getException() : null;
            String reason = cause == null ? "no answer within " + connectTimeout.toMillis() + " ms"
                    : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            throw new IOException("cannot connect to " + target + ": " + reason, cause);
        }
        return new MinaClient(future.getSession());
    }

    /** Queues a frame for sending; frames leave in the order of the calls. Never blocks. */
    public void send(Frame frame) {
        session.write(frame);
    }

    /**
     * Queues a frame like {@link #send}.
     *
     * @return completes when the frame was handed to the socket, or exceptionally when it cannot be written
     */
    public CompletableFuture<Void> sendAndFlush(Frame frame) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        session.write(frame).addListener(f -> {
            WriteFuture w = (WriteFuture) f;
            if (w.isWritten()) {
                written.complete(null);
            } else {
                Throwable cause = w.getException();
                written.completeExceptionally(cause != null ? cause : new IOException("not written: connection closed"));
            }
        });
        return written;
    }

    /** True until the connection closes or {@link #close()} is called. */
    public boolean isConnected() {
        return session.isConnected() && !session.isClosing();
    }

    /**
     * Closes after flushing what was queued; returns at once. The listener then gets
     * {@code disconnected(null)}. A server that never reads is cut off after a short grace.
     */
    @Override
    public void close() {
        MinaConnection.closeGracefully(session);
    }

    /**
     * A client disposes its connector when its connection closes, from another thread; MINA's I/O thread may
     * then still be in its selector loop and report the {@link ClosedSelectorException} of its own disposal as
     * an "Unexpected exception" with a stack trace, which a {@code parley chat} user would see on every
     * reconnection. This monitor drops exactly that and hands everything else to the monitor it replaces.
     */
    private static final class QuietDisposal extends ExceptionMonitor {
        private final ExceptionMonitor next;

        private QuietDisposal(ExceptionMonitor next) {
            this.next = next;
        }

        static synchronized void install() {
            ExceptionMonitor current = ExceptionMonitor.getInstance();
            if (!(current instanceof QuietDisposal)) {
                ExceptionMonitor.setInstance(new QuietDisposal(current));
            }
        }

        @Override
        public void exceptionCaught(Throwable cause) {
            if (!(cause instanceof ClosedSelectorException)) {
                next.exceptionCaught(cause);
            }
        }
    }

    /** Releases the I/O threads; not on an I/O thread, where MINA's dispose would wait for itself. */
    private static void dispose(NioSocketConnector connector) {
        Thread t = new Thread(connector::dispose, "parley-client-dispose");
        t.setDaemon(true);
        t.start();
    }
}
