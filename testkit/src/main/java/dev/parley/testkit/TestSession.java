package dev.parley.testkit;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.spi.Session;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Session} without a connection, for unit tests that call a plugin's handlers and listeners directly
 * (with {@link TestRequest} and {@link TestPluginContext}): it records every frame sent to it, in order, and
 * lets the test set what a server would (name, account, address, a client that stops reading).
 *
 * <p>What it does not do is what a server does around a session: no {@code HELLO}, no dispatcher, no
 * {@code seq} tags, no {@code BYE} on close. Test that with {@link ParleyTestKit}, whose sessions are core's own;
 * use this one when a test needs what the kit cannot give, such as a clock the test moves or a plugin
 * restarted over the same sessions. Thread-safe.
 *
 * <pre>{@code
 * TestSession alice = new TestSession().authenticate("alice");
 * alice.register("alice");
 * Reply reply = TestRequest.dispatch(command, alice, FrameParser.parse("ROLL 2d6"), line -> { })
 *         .toCompletableFuture().join();
 * assertThat(alice.events("ROLLED")).isEmpty();
 * }</pre>
 */
public final class TestSession implements Session {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id;
    private final List<Frame> events = new ArrayList<>(); // guarded by this
    private long sentBytes;                                // guarded by this
    private long readBytes;                                // guarded by this
    private boolean reading = true;                        // guarded by this
    private volatile boolean open = true;
    private volatile String name;
    private volatile String account;
    private volatile InetSocketAddress address;
    private volatile ByeReason closedWith;

    /** A session with the next id of this JVM's test sessions. */
    public TestSession() {
        this(IDS.incrementAndGet());
    }

    /** A session with this id; ids are what plugins key sessions by, so give each session its own. */
    public TestSession(long id) {
        this.id = id;
    }

    @Override
    public long id() {
        return id;
    }

    /**
     * {@code 10.x.y.z:40000} with x.y.z from the id, so that every session has an address of its own (per-address
     * limits count them apart), unless {@link #from} set another.
     */
    @Override
    public SocketAddress remoteAddress() {
        InetSocketAddress set = address;
        if (set != null) {
            return set;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {10, (byte) (id >> 16), (byte) (id >> 8), (byte) id}), 40000);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** The session connects from this address, e.g. a second connection from the first one's host. */
    public TestSession from(InetSocketAddress address) {
        this.address = address;
        return this;
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public void register(String name) {
        this.name = name;
    }

    @Override
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    /** The session holds the account, as the authenticating plugin would record it through core. */
    public TestSession authenticate(String account) {
        this.account = account;
        return this;
    }

    /** Records the frame (event or data line), unless the session is closed. */
    @Override
    public synchronized void send(Frame event) {
        if (!open) {
            return;
        }
        long size = FrameWriter.encode(event).length;
        sentBytes += size;
        if (reading) {
            readBytes += size;
        }
        events.add(event);
    }

    /** Closes the session; {@link #closedWith()} tells why. Nothing is sent to it from now on. */
    @Override
    public void close(ByeReason reason, String text) {
        closedWith = reason;
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The reason the session was closed with, if a plugin closed it. */
    public Optional<ByeReason> closedWith() {
        return Optional.ofNullable(closedWith);
    }

    /** Bytes sent and not yet read: zero unless the client {@link #stopReading() stopped reading}. */
    @Override
    public synchronized long pendingBytes() {
        return sentBytes - readBytes;
    }

    /** The client stops reading: what is sent from now on counts as {@link #pendingBytes()}. */
    public synchronized void stopReading() {
        reading = false;
    }

    /** The client reads everything sent so far and keeps up from now on. */
    public synchronized void resumeReading() {
        reading = true;
        readBytes = sentBytes;
    }

    /** Encoded bytes of every frame sent so far, line and payload. */
    public synchronized long sentBytes() {
        return sentBytes;
    }

    /** Every frame sent so far (events and data lines), in order. */
    public synchronized List<Frame> events() {
        return List.copyOf(events);
    }

    /** The frames sent so far with this verb, in order. */
    public synchronized List<Frame> events(String verb) {
        return events.stream().filter(f -> f.verb().equals(verb)).toList();
    }

    /** The frames sent since the last call (or {@link #clearEvents()}), which forgets them. */
    public synchronized List<Frame> takeEvents() {
        List<Frame> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    /** Forgets the frames sent so far. */
    public synchronized void clearEvents() {
        events.clear();
    }

    @Override
    public String toString() {
        return "test session " + id + (name == null ? "" : " (" + name + ")");
    }
}
