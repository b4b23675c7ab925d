package dev.parley.core.server;

import dev.parley.core.net.Connection;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A connection that records what core writes, as parsed frames, and whether input is suspended. */
final class FakeConnection implements Connection {
    final LinkedBlockingQueue<Frame> written = new LinkedBlockingQueue<>();
    volatile boolean open = true;
    volatile boolean suspended;
    volatile int suspendCount;
    private final java.util.concurrent.CountDownLatch closedLatch = new java.util.concurrent.CountDownLatch(1);
    /** Like a transport, tells core when the connection closed. */
    volatile dev.parley.core.net.InboundHandler handler;

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public boolean write(byte[] encoded) {
        if (!open) {
            return false;
        }
        String text = new String(encoded, StandardCharsets.UTF_8);
        try {
            written.add(FrameParser.parse(text.substring(0, text.indexOf('\n'))));
        } catch (Exception e) {
            throw new AssertionError("core wrote an unparsable frame: " + text, e);
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
        suspendCount++;
    }

    @Override
    public void resumeInput() {
        suspended = false;
    }

    @Override
    public void close() {
        boolean wasOpen = open;
        open = false;
        closedLatch.countDown();
        if (wasOpen && handler != null) {
            handler.closed();
        }
    }

    boolean awaitClosed() throws InterruptedException {
        return closedLatch.await(5, TimeUnit.SECONDS);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    Frame next(Duration timeout) throws InterruptedException {
        Frame f = written.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("nothing written within " + timeout + "; so far: " + written);
        }
        return f;
    }

    Frame next() throws InterruptedException {
        return next(Duration.ofSeconds(5));
    }

    List<Frame> next(int n) throws InterruptedException {
        List<Frame> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            frames.add(next());
        }
        return frames;
    }
}
