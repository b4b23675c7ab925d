package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain-socket test client that writes raw text and reads lines, each read bounded by a timeout. */
final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** @param receiveBuffer socket receive buffer in bytes, or 0 for the default */
    LineClient(InetSocketAddress address, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, (int) TestServer.TIMEOUT.toMillis());
        socket.setSoTimeout((int) TestServer.TIMEOUT.toMillis());
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    /** Wraps a socket connected already (e.g. an SSLSocket). */
    LineClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout((int) TestServer.TIMEOUT.toMillis());
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    /** Everything the server sends until it closes (bounded by the read timeout), as raw bytes. */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + TestServer.TIMEOUT, e);
        } catch (IOException reset) {
            // A reset ends the stream too.
        }
        return all.toByteArray();
    }

    LineClient send(String text) throws IOException {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    LineClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Shuts down the sending side (a TCP half-close): the server sees the end of input, the client reads on. */
    LineClient shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** The next line without its LF, or null at end of stream; fails when none arrives in time. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no complete line within " + TestServer.TIMEOUT + "; got so far: " + line, e);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Exactly n raw bytes (a payload after its line). */
    byte[] readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        assertThat(bytes).as("payload bytes before end of stream").hasSize(n);
        return bytes;
    }

    /** Reads the greeting and checks it is one. */
    LineClient hello() throws IOException {
        assertThat(readLine()).startsWith("HELLO parley 1 test");
        return this;
    }

    /**
     * Reads to the end of the stream and says how it ended: true for an orderly end (the server's FIN), false for
     * a reset, which may have destroyed bytes the server had sent. Fails if anything arrives first.
     */
    boolean endsOrderly() throws IOException {
        try {
            assertThat(in.read()).as("end of stream, nothing more").isEqualTo(-1);
            return true;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + TestServer.TIMEOUT, e);
        } catch (IOException reset) {
            return false;
        }
    }

    /** Asserts the server closed the connection: the next read sees end of stream. */
    void expectClosed() throws IOException {
        try {
            assertThat(in.read()).as("end of stream").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + TestServer.TIMEOUT, e);
        } catch (IOException reset) {
            // A reset is a close too (the server may close with unread input pending).
        }
    }

    /** Closes with a reset (SO_LINGER 0), as a client that vanishes does, not with an orderly FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
