package dev.parley.bench.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One client connection owned by one {@link Reactor} thread: it splits what arrives into lines and queues
 * what is written until the socket takes it. Holds only a small partial-line buffer of its own (the read
 * buffer is the reactor's), so ten thousand idle links cost little client memory.
 */
public final class Link {
    private final SocketChannel channel;
    private final LinkHandler handler;
    private final Reactor reactor;
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
    private SelectionKey key;
    private byte[] partial = new byte[0];
    private int partialLength;
    private boolean closed;
    /** False while the scenario leaves what arrives unread (a stalled member): interest in reading is off. */
    private boolean reading = true;
    /** Free for the scenario: its per-connection state. */
    public Object attachment;

    Link(SocketChannel channel, LinkHandler handler, Reactor reactor) {
        this.channel = channel;
        this.handler = handler;
        this.reactor = reactor;
    }

    void register(SelectionKey key) {
        this.key = key;
    }

    public Reactor reactor() {
        return reactor;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops reading this socket (from the reactor thread): what the server sends stays in the kernel's buffers
     * and then in the server's queue, as for a client that has stopped reading. {@link #resumeReading} undoes it.
     */
    public void stopReading() {
        reading = false;
        if (!closed && key != null) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /** Reads again what arrives (from the reactor thread); the handler then sees the lines that waited. */
    public void resumeReading() {
        reading = true;
        if (!closed && key != null) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    /** The local address and port of this connection, or null once closed. */
    public java.net.InetSocketAddress localAddress() {
        try {
            return (java.net.InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Queues text (ISO-8859-1 is enough for the ASCII the scenarios send) and writes what the socket takes. */
    public void send(String text) {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) {
        if (closed) {
            return;
        }
        outbound.add(ByteBuffer.wrap(bytes));
        flush();
    }

    void flush() {
        try {
            while (!outbound.isEmpty()) {
                ByteBuffer head = outbound.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    key.interestOps(readInterest() | SelectionKey.OP_WRITE);
                    return;
                }
                outbound.poll();
            }
            key.interestOps(readInterest());
        } catch (IOException e) {
            fail(e);
        }
    }

    private int readInterest() {
        return reading ? SelectionKey.OP_READ : 0;
    }

    /** Reads what is available into the reactor's buffer and hands complete lines to the handler. */
    void read(ByteBuffer buffer, Line line) {
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    fail(null);
                    return;
                }
                if (n == 0) {
                    return;
                }
                splitLines(buffer.array(), n, line, System.nanoTime());
                if (closed || !reading || n < buffer.capacity()) {
                    return;
                }
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void splitLines(byte[] data, int length, Line line, long receivedNanos) {
        int start = 0;
        int end;
        while ((end = Line.indexOfNewline(data, start, length)) >= 0) {
            if (partialLength > 0) {
                append(data, start, end - start);
                handler.line(this, line.set(partial, 0, withoutCr(partial, 0, partialLength), receivedNanos));
                partialLength = 0;
            } else {
                handler.line(this, line.set(data, start, withoutCr(data, start, end - start), receivedNanos));
            }
            start = end + 1;
            if (closed) {
                return;
            }
        }
        if (start < length) {
            append(data, start, length - start);
        }
    }

    /** The length of a line without the CR of a CR LF ending. */
    private static int withoutCr(byte[] bytes, int from, int length) {
        return length > 0 && bytes[from + length - 1] == '\r' ? length - 1 : length;
    }

    private void append(byte[] data, int from, int length) {
        if (partialLength + length > partial.length) {
            partial = java.util.Arrays.copyOf(partial, Math.max(partialLength + length, partial.length * 2 + 64));
        }
        System.arraycopy(data, from, partial, partialLength, length);
        partialLength += length;
    }

    private void fail(Exception cause) {
        if (closed) {
            return;
        }
        close();
        handler.closed(this, cause);
    }

    /** Closes the socket; from the reactor thread. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        outbound.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we are done with: nothing to do about a failure
        }
    }
}
