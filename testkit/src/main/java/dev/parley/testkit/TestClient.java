package dev.parley.testkit;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A client of a test server: sends command lines and waits for what the server sends back. The same API
 * works in memory ({@link ParleyTestKit#connect()}) and over a socket ({@link LineClient}).
 *
 * <p>Everything received is kept in arrival order until read. {@link #reply()} takes the first final reply
 * ({@code OK}/{@code ERR}) and leaves other lines where they are; {@link #event()} takes the first line that
 * is not a final reply (an event, a data line or {@code BYE}); {@link #next()} takes whatever came first.
 * Every wait ends after the client's timeout with an {@link AssertionError} listing what did arrive, so a
 * test never sleeps and never hangs. The {@code HELLO} line is read on connect: see {@link #hello()}.
 *
 * <p>Lines are returned as written on the wire without the line end and payload, e.g.
 * {@code "OK NICK alice"}; the {@code ...Frame} variants return parsed frames with their payloads.
 * Thread-safe.
 */
public abstract class TestClient implements AutoCloseable {
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Frame> inbox = new ArrayList<>();   // guarded by lock
    private boolean ended;                                  // guarded by lock
    private Frame hello;                                    // guarded by lock

    TestClient(Duration timeout) {
        this.timeout = timeout;
    }

    // ---- sending ----

    /**
     * Sends one command line as a client would type it (without line end), e.g. {@code "ROLL 3d6 #games"}.
     * A line the server cannot parse reaches it as such, and is answered {@code ERR * <CODE>}.
     *
     * @return this client, to chain a read
     */
    public abstract TestClient send(String line);

    /** Sends a frame; the way to send a payload ({@code Frame.of("PUT").payload(bytes).build()}). */
    public abstract TestClient send(Frame frame);

    /** Sends a line and waits for its {@link #answer()}; for pipelining use {@link #send} and read later. */
    public Answer command(String line) {
        send(line);
        return answer();
    }

    /**
     * Ends the connection as a client would by disconnecting (without {@code QUIT}). Idempotent. To end
     * politely, {@code send("QUIT")} and {@link #awaitClosed()}.
     */
    @Override
    public abstract void close();

    // ---- receiving ----

    /** The {@code HELLO} line the server greeted this client with. */
    public String hello() {
        return helloFrame().toString();
    }

    /** The {@code HELLO} frame the server greeted this client with; waits for it if needed. */
    public Frame helloFrame() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (hello == null) {
                if (ended || !await(deadline)) {
                    throw new AssertionError(ended ? "the connection closed before HELLO"
                            : "no HELLO within " + timeout);
                }
            }
            return hello;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for and takes the next final reply ({@code OK ...} or {@code ERR ...}), leaving other lines. */
    public String reply() {
        return replyFrame().toString();
    }

    /** Like {@link #reply()}, as a frame. */
    public Frame replyFrame() {
        return take(TestClient::isReply, "a final reply (OK or ERR)");
    }

    /** Waits for and takes the next line that is not a final reply: an event, a data line or {@code BYE}. */
    public String event() {
        return eventFrame().toString();
    }

    /** Like {@link #event()}, as a frame. */
    public Frame eventFrame() {
        return take(f -> !isReply(f), "an event or data line");
    }

    /** Waits for and takes the next line whatever it is. */
    public String next() {
        return nextFrame().toString();
    }

    /** Waits for and takes the next {@code count} lines whatever they are, in arrival order. */
    public List<String> next(int count) {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(next());
        }
        return lines;
    }

    /** Like {@link #next()}, as a frame. */
    public Frame nextFrame() {
        return take(f -> true, "any line");
    }

    /** Waits for the next final reply and takes it with every line received before it. */
    public Answer answer() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int at = indexOf(TestClient::isReply);
                if (at >= 0) {
                    List<String> lines = new ArrayList<>(at);
                    for (int i = 0; i < at; i++) {
                        lines.add(inbox.get(i).toString());
                    }
                    String reply = inbox.get(at).toString();
                    inbox.subList(0, at + 1).clear();
                    return new Answer(lines, reply);
                }
                failIfOver(deadline, "a final reply (OK or ERR)");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The lines received and not yet taken, without waiting. After a command's reply, the events its handler
     * sent synchronously to other in-memory clients are already here, so {@code assertThat(bob.pending())
     * .isEmpty()} is a deterministic "bob got nothing".
     */
    public List<String> pending() {
        lock.lock();
        try {
            return inbox.stream().map(Frame::toString).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits the whole window, then returns {@link #pending()}: for checking that nothing arrives when only a
     * timer could send it (a timeout that must not fire), where no line marks the moment to look. After a
     * command's reply, prefer {@link #pending()}, which needs no window.
     */
    public List<String> pendingAfter(Duration window) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + window.toNanos();
            while (await(deadline)) {
                // a line arriving does not end the window: keep waiting until it has passed
            }
            return inbox.stream().map(Frame::toString).toList();
        } finally {
            lock.unlock();
        }
    }

    /** True once the connection is closed (by either side). */
    public boolean isClosed() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the connection is closed, e.g. after {@code QUIT} or {@code BYE}; lines stay readable. */
    public void awaitClosed() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ended) {
                if (!await(deadline)) {
                    throw new AssertionError("the connection is still open after " + timeout + "; unread: " + describe());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How long each wait lasts before failing. */
    public Duration timeout() {
        return timeout;
    }

    // ---- for transports ----

    /** Parses a line typed by a test; null for a blank line. */
    static Frame parse(String line) throws ProtocolException {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("send one line at a time, without line end: " + line);
        }
        return FrameParser.parse(line);
    }

    /** A frame arrived from the server. */
    final void received(Frame frame) {
        lock.lock();
        try {
            if (hello == null && frame.verb().equals("HELLO")) {
                hello = frame;
            } else {
                inbox.add(frame);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection closed. */
    final void ended() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Frame take(Predicate<Frame> kind, String what) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int at = indexOf(kind);
                if (at >= 0) {
                    return inbox.remove(at);
                }
                failIfOver(deadline, what);
            }
        } finally {
            lock.unlock();
        }
    }

    private int indexOf(Predicate<Frame> kind) {
        Iterator<Frame> it = inbox.iterator();
        for (int i = 0; it.hasNext(); i++) {
            if (kind.test(it.next())) {
                return i;
            }
        }
        return -1;
    }

    /** Waits for a change; fails when the deadline passed or nothing more can arrive. Holds the lock. */
    private void failIfOver(long deadline, String what) {
        if (ended) {
            throw new AssertionError("expected " + what + " but the connection closed; unread: " + describe());
        }
        if (!await(deadline)) {
            throw new AssertionError("expected " + what + " within " + timeout + "; unread: " + describe());
        }
    }

    private boolean await(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            changed.awaitNanos(left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private String describe() {
        return inbox.isEmpty() ? "nothing" : inbox.stream().map(Frame::toString).toList().toString();
    }

    private static boolean isReply(Frame frame) {
        return frame.verb().equals("OK") || frame.verb().equals("ERR");
    }
}
