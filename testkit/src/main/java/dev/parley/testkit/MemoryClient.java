package dev.parley.testkit;

import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.Session;
import java.io.ByteArrayInputStream;
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

    private final MemoryConnection connection = new MemoryConnection();
    private final InboundHandler inbound;
    private final Session session;

    /** Connects to the core; its session is found among the core's sessions by this client's unique address. */
    MemoryClient(ServerCore core, Duration timeout) {
        super(timeout);
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

    /** Core's view of this client. */
    private final class MemoryConnection implements Connection {
        private final SocketAddress address =
                new InetSocketAddress(InetAddress.getLoopbackAddress(), nextPort.getAndIncrement() % 25000 + 40000);
        private final AtomicBoolean open = new AtomicBoolean(true);
        private volatile boolean suspended;

        @Override
        public SocketAddress remoteAddress() {
            return address;
        }

        @Override
        public boolean write(byte[] encoded) {
            if (!open.get()) {
                return false;
            }
            WireDecoder decoder = new WireDecoder(new ByteArrayInputStream(encoded));
            try {
                for (Frame frame = decoder.next(); frame != null; frame = decoder.next()) {
                    received(frame);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }

        @Override
        public long pendingBytes() {
            return 0;
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
