package dev.parley.filetransfer.harness;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.spi.Session;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session that records what is sent to it. Its pending bytes are what was sent and not yet "drained":
 * with auto-drain (the default) the client reads everything at once; without, the test drains by hand.
 */
public final class FakeSession implements Session {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private final AtomicLong sentBytes = new AtomicLong();
    private final AtomicLong drainedBytes = new AtomicLong();
    private volatile boolean autoDrain = true;
    private volatile boolean open = true;
    private volatile String name;
    private volatile String account;
    private volatile InetSocketAddress address;

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        // One address per session (guests' quotas count per address), unless set with from().
        if (address != null) {
            return address;
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(
                    new byte[] {10, (byte) (id >> 16), (byte) (id >> 8), (byte) id}), 40000);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    /** The session connects from that address (e.g. a second connection of the same client). */
    public FakeSession from(InetSocketAddress address) {
        this.address = address;
        return this;
    }

    /** The session proved it holds the account, as AUTH would record it. */
    public FakeSession authenticate(String account) {
        this.account = account;
        return this;
    }

    @Override
    public void register(String name) {
        this.name = name;
    }

    @Override
    public void send(Frame event) {
        if (!open) {
            return;
        }
        long size = FrameWriter.encode(event).length;
        sentBytes.addAndGet(size);
        if (autoDrain) {
            drainedBytes.addAndGet(size);
        }
        received.add(event);
    }

    @Override
    public void close(ByeReason reason, String text) {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long pendingBytes() {
        return sentBytes.get() - drainedBytes.get();
    }

    /** Stops the client from reading: pending bytes grow with every frame sent. */
    public void stallReading() {
        autoDrain = false;
    }

    /** The client reads everything queued and keeps up from now on. */
    public void resumeReading() {
        autoDrain = true;
        drainedBytes.set(sentBytes.get());
    }

    /** Bytes of every frame sent to this session so far, line and payload. */
    public long sentBytes() {
        return sentBytes.get();
    }

    /** Every frame sent so far (events and data lines), in order. */
    public List<Frame> received() {
        return List.copyOf(received);
    }

    /** The frames with this verb, in order. */
    public List<Frame> received(String verb) {
        return received.stream().filter(f -> f.verb().equals(verb)).toList();
    }

    public void forget() {
        received.clear();
    }

    @Override
    public String toString() {
        return "fake session " + id + " (" + name + ")";
    }
}
