package dev.parley.bench.scenario;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A blocking connection for one bulk transfer: lines and raw payloads, read through one buffer. The buffer is
 * direct: a heap buffer would cost a second copy of every byte read (the JDK reads into a direct buffer first).
 */
final class WireStream implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);

    WireStream(InetSocketAddress address) throws IOException {
        channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        in.flip();
    }

    void writeLine(String line) throws IOException {
        write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    int end = sb.length();
                    if (end > 0 && sb.charAt(end - 1) == '\r') {
                        sb.setLength(end - 1);
                    }
                    return sb.toString();
                }
                sb.append((char) (b & 0xff));
            }
            fill();
        }
    }

    /** Reads and drops n payload bytes, feeding them to the digest when there is one. */
    void skip(long n, MessageDigest digest) throws IOException {
        while (n > 0) {
            if (!in.hasRemaining()) {
                fill();
            }
            int take = (int) Math.min(n, in.remaining());
            if (digest != null) {
                ByteBuffer slice = in.slice();
                slice.limit(take);
                digest.update(slice);
            }
            in.position(in.position() + take);
            n -= take;
        }
    }

    private void fill() throws IOException {
        in.clear();
        int n = channel.read(in);
        in.flip();
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
