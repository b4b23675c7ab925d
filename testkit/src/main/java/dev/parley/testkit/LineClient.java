package dev.parley.testkit;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A {@link TestClient} over a real TCP socket, for integration tests against an {@link EmbeddedServer} or any
 * running Parley server. Lines are written as typed (so malformed input reaches the server's decoder
 * unchanged); a background thread reads and decodes what the server sends.
 */
public final class LineClient extends TestClient {
    private final Socket socket;
    private final OutputStream out;

    private LineClient(Socket socket, Duration timeout) throws IOException {
        super(timeout);
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::read, "parley-line-client-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects with the default timeout and waits for {@code HELLO}. */
    public static LineClient connect(InetSocketAddress address) throws IOException {
        return connect(address, ParleyTestKit.DEFAULT_TIMEOUT);
    }

    /**
     * Connects and waits for {@code HELLO}.
     *
     * @param timeout how long connecting and each later wait for a line may take
     * @throws AssertionError when no {@code HELLO} arrives in time (e.g. {@code BYE SERVER_FULL} instead)
     */
    public static LineClient connect(InetSocketAddress address, Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, Math.toIntExact(Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        LineClient client = new LineClient(socket, timeout);
        client.helloFrame();
        return client;
    }

    @Override
    public LineClient send(String line) {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("send one line at a time, without line end: " + line);
        }
        return sendBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public LineClient send(Frame frame) {
        return sendBytes(FrameWriter.encode(frame));
    }

    /** Writes raw bytes, e.g. invalid UTF-8 or a line split across writes. */
    public LineClient sendBytes(byte[] bytes) {
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + socket.getRemoteSocketAddress(), e);
        }
        return this;
    }

    /** This end's address: the server sees it as the session's remote address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Closes the socket without {@code QUIT}. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void read() {
        try {
            WireDecoder decoder = new WireDecoder(socket.getInputStream());
            for (Frame frame = decoder.next(); frame != null; frame = decoder.next()) {
                received(frame);
            }
        } catch (IOException e) {
            // reset or closed by us: the connection is over either way
        } finally {
            ended();
            close();
        }
    }

    @Override
    public String toString() {
        return "line client " + socket.getLocalSocketAddress() + " -> " + socket.getRemoteSocketAddress();
    }
}
