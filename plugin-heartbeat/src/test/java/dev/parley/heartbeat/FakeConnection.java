package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection that records every line core writes, exactly as it would go on the wire (the two-part write
 * included), and, like a transport, tells core when it closes.
 */
final class FakeConnection implements Connection {
    private static final AtomicInteger ports = new AtomicInteger(40000);

    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final SocketAddress address = new InetSocketAddress("127.0.0.1", ports.incrementAndGet());
    private final CountDownLatch closed = new CountDownLatch(1);
    volatile boolean open = true;
    volatile InboundHandler handler;
    /** Two-part writes seen, to show the shared body was not copied into one array by core. */
    final AtomicInteger twoPartWrites = new AtomicInteger();

    @Override
    public SocketAddress remoteAddress() {
        return address;
    }

    @Override
    public boolean write(byte[] encoded) {
        if (!open) {
            return false;
        }
        String text = new String(encoded, StandardCharsets.UTF_8);
        String line = text.substring(0, text.indexOf('\n'));
        try {
            FrameParser.parse(line);
        } catch (Exception e) {
            throw new AssertionError("core wrote an unparsable frame: " + text, e);
        }
        lines.add(line);
        return true;
    }

    @Override
    public boolean write(byte[] prefix, byte[] body, int bodyOffset) {
        twoPartWrites.incrementAndGet();
        return Connection.super.write(prefix, body, bodyOffset);
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public void suspendInput() {
    }

    @Override
    public void resumeInput() {
    }

    @Override
    public void close() {
        boolean wasOpen = open;
        open = false;
        closed.countDown();
        if (wasOpen && handler != null) {
            handler.closed();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    boolean awaitClosed() throws InterruptedException {
        return closed.await(5, TimeUnit.SECONDS);
    }

    String next(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("nothing written within " + timeout + "; so far: " + lines);
        }
        return line;
    }

    String next() throws InterruptedException {
        return next(Duration.ofSeconds(5));
    }

    List<String> next(int n) throws InterruptedException {
        List<String> got = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            got.add(next());
        }
        return got;
    }

    /** The next line that is not a server PING (for tests where pings may interleave). */
    String nextNotPing() throws InterruptedException {
        String line;
        do {
            line = next();
        } while (line.matches("(@\\S+ )?PING .*"));
        return line;
    }

    /** Sends a line as the client. */
    void send(String line) {
        try {
            Frame frame = FrameParser.parse(line);
            handler.frame(frame);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void assertSilentFor(Duration d) throws InterruptedException {
        String line = lines.poll(d.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(line).as("nothing written").isNull();
    }

    @Override
    public String toString() {
        return "FakeConnection " + address;
    }
}
