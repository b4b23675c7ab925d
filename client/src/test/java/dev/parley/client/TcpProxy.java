package dev.parley.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forwards connections to a server; {@link #cut()} drops them all at once, as a broken network would, and
 * {@link #cutAfter} does so in the middle of a transfer.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    // Bytes still allowed through before the armed cut, per direction; negative: not armed.
    private final AtomicLong upstreamBudget = new AtomicLong(-1);
    private final AtomicLong downstreamBudget = new AtomicLong(-1);

    public TcpProxy(int targetPort) throws IOException {
        listener = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket("127.0.0.1", targetPort);
                    sockets.add(client);
                    sockets.add(server);
                    pump(client, server, upstreamBudget);
                    pump(server, client, downstreamBudget);
                } catch (IOException e) {
                    return;
                }
            }
        }, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Closes every forwarded connection; new ones are still accepted. */
    public void cut() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /**
     * Once: after {@code bytes} more bytes went from the clients to the server ({@code upstream}) or back,
     * forwards exactly up to that byte — mid-line or mid-payload — and cuts every connection.
     */
    public void cutAfter(long bytes, boolean upstream) {
        (upstream ? upstreamBudget : downstreamBudget).set(bytes);
    }

    private void pump(Socket from, Socket to, AtomicLong budget) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    long left;
                    synchronized (budget) {
                        left = budget.get();
                        budget.set(left < 0 ? left : left <= n ? -1 : left - n);
                    }
                    if (left >= 0 && left <= n) {
                        out.write(buffer, 0, (int) left);
                        out.flush();
                        cut();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // cut
            }
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
