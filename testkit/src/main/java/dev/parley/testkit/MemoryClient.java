package dev.parley.testkit;

import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A client wired straight to core: what core writes is decoded into the client's inbox, no socket. */
final class MemoryClient extends TestClient {
    private static final AtomicInteger nextPort = new AtomicInteger(40000);

    private final MemoryConnection connection;
    private final InboundHandler inbound;
    private final Session session;

    /**
     * Connects to the core from a host; its session is found among the core's sessions by this client's
     * unique address (the host and a port of its own).
     */
    MemoryClient(ServerCore core, Duration timeout, InetAddress host) {
        super(timeout);
        this.connection = new MemoryConnection(host);
        this.inbound = core.connected(connection);
        this.session = core.all().stream()
                .filter(s -> connection.remoteAddress().equals(s.remoteAddress()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("core opened no session for " + connection));
    }

    /** The server's session of this client. */
    Session session() {
        return session;
    }

    @Override
    public TestClient send(String line) {
        Frame frame;
        try {
            frame = parse(line);
        } catch (ProtocolException e) {
            if (connection.isOpen()) {
                inbound.malformed(e, false);
            }
            return this;
        }
        if (frame != null) {
            send(frame);
        }
        return this;
    }

    @Override
    public TestClient send(Frame frame) {
        if (!connection.isOpen()) {
            throw new IllegalStateException("the connection is closed; cannot send " + frame);
        }
        inbound.frame(frame);
        return this;
    }

    @Override
    public void close() {
        connection.close();
    }

    /** See {@link ParleyTestKit#stopReading}. */
    void stopReading() {
        connection.stopReading();
    }

    /** See {@link ParleyTestKit#resumeReading}. */
    void resumeReading() {
        connection.resumeReading();
    }

    /** See {@link ParleyTestKit#bytesArriving}. */
    void bytesArriving() {
        if (connection.isOpen()) {
            inbound.activity();
        }
    }

    /** See {@link ParleyTestKit#sharedWrites}. */
    int sharedWrites() {
        return connection.sharedWrites.get();
    }

    /** Core's view of this client. */
    private final class MemoryConnection implements Connection {
        private final SocketAddress address;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final AtomicInteger sharedWrites = new AtomicInteger();
        /** What the server wrote while the client was not reading; the lock also orders delivery. */
        private final ByteArrayOutputStream unread = new ByteArrayOutputStream();
        private boolean reading = true;                     // guarded by unread
        private volatile boolean suspended;

        MemoryConnection(InetAddress host) {
            address = new InetSocketAddress(host, nextPort.getAndIncrement() % 25000 + 40000);
        }

        @Override
        public SocketAddress remoteAddress() {
            return address;
        }

        @Override
        public boolean write(byte[] encoded) {
            if (!open.get()) {
                return false;
            }
            synchronized (unread) {
                if (reading) {
                    deliver(encoded);
                } else {
                    unread.writeBytes(encoded);
                }
            }
            return true;
        }

        @Override
        public boolean write(byte[] prefix, byte[] body, int bodyOffset) {
            sharedWrites.incrementAndGet();
            return Connection.super.write(prefix, body, bodyOffset);
        }

        /** What the client has not read yet: nothing unless it stopped reading. */
        @Override
        public long pendingBytes() {
            synchronized (unread) {
                return unread.size();
            }
        }

        void stopReading() {
            synchronized (unread) {
                reading = false;
            }
        }

        void resumeReading() {
            synchronized (unread) {
                reading = true;
                byte[] bytes = unread.toByteArray();
                unread.reset();
                deliver(bytes);
            }
        }

        private void deliver(byte[] encoded) {
            WireDecoder decoder = new WireDecoder(new ByteArrayInputStream(encoded));
            try {
                for (Frame frame = decoder.next(); frame != null; frame = decoder.next()) {
                    received(frame);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void suspendInput() {
            suspended = true;
        }

        @Override
        public void resumeInput() {
            suspended = false;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                ended();
                inbound.closed();
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public String toString() {
            return "in-memory connection from " + address + (suspended ? " (input suspended)" : "");
        }
    }
}
