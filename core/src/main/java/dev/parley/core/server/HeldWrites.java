package dev.parley.core.server;

import dev.parley.core.net.Connection;
import dev.parley.core.net.Connection.HeldWrite;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections whose writes one worker holds back while it drains sessions' commands, flushed when it
 * moves on. A publisher that pipelines SAYs has several queued; each fans out to every member, and without
 * the hold each member's socket would get a {@code write(2)} for every few events, so that the kernel's send
 * path, paid per call, would dominate the server's CPU in a big room. Held, a member gets one write per drain
 * (at most 64 commands), or per {@link #FLUSH_AFTER} writes, whichever comes first.
 *
 * <p>The hold also spans drains: while other sessions' drains are queued, the worker runs up to
 * {@link #HOLD_DRAINS} in a row under one hold (ServerSession.drain), so that a member hearing several
 * publishers gets their events in one write; after each drain the drained session's own connection is
 * flushed, so a command's answer never waits for another session's commands. A frame waits at most for the
 * rest of its drain and HOLD_DRAINS - 1 more, and only while commands are queued: a session with one command
 * at a time on an idle server flushes after each, and a command with a payload (bulk data, paced by its
 * answers) is flushed before and after it runs. Confined to its worker thread; see
 * {@link Connection#writeHeld(byte[])}.
 */
final class HeldWrites {
    private static final Logger log = LoggerFactory.getLogger(HeldWrites.class);

    /**
     * Flush after this many writes even mid-drain: bounds the wait (tens of milliseconds of a worker's time
     * at the most) and the list. High enough that a drain fanning out to a 1,000-member room is still one
     * write per member; a much lower cap splits those writes again.
     */
    static final int FLUSH_AFTER = 65_536;

    /**
     * Drains run under one hold while more are queued, so that a member hearing several publishers gets their
     * events in one write. Four is where the fan-out stops gaining: fewer leave writes split, more only add
     * latency at saturation (measured: bench/results/2026-11-25-profiles.md, *Holding across drains*).
     */
    static final int HOLD_DRAINS = 4;

    /**
     * The holds of threads that are not workers, for the time they run {@link #holding}: a store's writer thread
     * completing a committed batch, a cluster log's reader delivering a batch of entries (Sessions.sendTogether).
     */
    private static final ThreadLocal<HeldWrites> OTHER_THREADS = new ThreadLocal<>();

    /** The current thread's hold while it drains a session on a worker or runs {@link #holding}; null otherwise. */
    static HeldWrites current() {
        if (Thread.currentThread() instanceof Worker w) {
            return w.held.active;
        }
        HeldWrites other = OTHER_THREADS.get();
        return other == null ? null : other.active;
    }

    /**
     * Runs the task holding this thread's writes, then flushes them: each connection written to gets one write for
     * everything the task sent it. Inside a hold already (a worker's drain), the task just runs under that one.
     * The thread is not a session's, so flow control cannot make it wait; instead the sessions whose commands the
     * task answers (a store's commit completing durable SAYs) are told which recipient of their fan-out is above
     * flow-high-water, and wait before their next command (see {@link #answered}).
     */
    static void holding(Runnable task, long highWater) {
        HeldWrites held;
        if (Thread.currentThread() instanceof Worker w) {
            held = w.held;
        } else {
            held = OTHER_THREADS.get();
            if (held == null) {
                held = new HeldWrites(highWater, true);
                OTHER_THREADS.set(held);
            }
        }
        if (held.isActive()) {
            task.run();
            return;
        }
        held.begin();
        try {
            task.run();
        } finally {
            held.end();
            held.takeBacklog();
        }
    }

    /** Grows as needed, up to FLUSH_AFTER; most drains hold a few connections. */
    private Connection[] held = new Connection[16];
    private int count;
    private int writes;
    /** this while draining, null otherwise: one field read tells a writer whether to hold. */
    private HeldWrites active;

    /** flow-high-water: a recipient with more unread output than this makes the running command's sender wait. */
    private final long highWater;
    /**
     * True for the hold of a thread that runs no command but completes them (a store's writer, a cluster log's
     * reader): there a reply ends the fan-out its command caused, see {@link #answered}.
     */
    private final boolean completes;
    /** The recipient with the most unread output above highWater that the running command wrote to, or null. */
    private Connection backlog;
    private long backlogBytes;
    /** Completing: a reply was written since the last event, so the next event starts another command's fan-out. */
    private boolean answeredSinceEvent;

    HeldWrites(long highWater) {
        this(highWater, false);
    }

    private HeldWrites(long highWater, boolean completes) {
        this.highWater = highWater;
        this.completes = completes;
    }

    /**
     * Notes a recipient the running command wrote an event to, if its unread output is above flow-high-water
     * (ServerSession then decides whether the command's sender waits, see waitsForReaders).
     */
    void noteRecipient(Connection connection) {
        if (answeredSinceEvent) {
            // A completing thread's next fan-out: what the one before noted went to the senders answered since.
            answeredSinceEvent = false;
            backlog = null;
            backlogBytes = 0;
        }
        long pending = connection.pendingBytes();
        if (pending > highWater) {
            // Held, a batch's fan-out would reach a reader at full speed all at once, however large the batch (a
            // store's commit completes up to a thousand messages): it leaves now for the socket to take what it can.
            connection.flush();
            pending = connection.pendingBytes();
            if (pending > highWater && pending > backlogBytes) {
                backlog = connection;
                backlogBytes = pending;
            }
        }
    }

    /**
     * A reply to a command of {@code sender} was written under this hold. On a completing thread the events
     * written since the previous replies are that command's fan-out (a room's committed messages are sent, then
     * their SAYs answered): if one of their recipients is above flow-high-water, the sender waits for it before
     * its next command, as if its command had written them on its worker (ServerSession#fedAbove). A worker's
     * hold leaves that to the drained session's own check.
     */
    void answered(ServerSession sender) {
        if (!completes) {
            return;
        }
        answeredSinceEvent = true;
        if (backlog != null) {
            sender.fedAbove(backlog);
        }
    }

    /**
     * Runs {@code sends} under this hold (active), on behalf of {@code cause}: if a recipient they write to is above
     * flow-high-water, that session waits for it before its next command (ServerSession#fedAbove). What the hold
     * noted before is kept for whoever noted it.
     */
    void causedBy(ServerSession cause, Runnable sends) {
        Connection outer = backlog;
        long outerBytes = backlogBytes;
        boolean outerAnswered = answeredSinceEvent;
        backlog = null;
        backlogBytes = 0;
        answeredSinceEvent = false;
        try {
            sends.run();
        } finally {
            Connection full = backlog;
            backlog = outer;
            backlogBytes = outerBytes;
            answeredSinceEvent = outerAnswered;
            if (full != null) {
                cause.fedAbove(full);
            }
        }
    }

    /** The fullest recipient noted since the last call, or null; forgets it. */
    Connection takeBacklog() {
        Connection c = backlog;
        backlog = null;
        backlogBytes = 0;
        answeredSinceEvent = false;
        return c;
    }

    /** Starts holding: until {@link #end()}, writes on this thread may be held. */
    void begin() {
        active = this;
    }

    /** Whether this worker is holding now (a drain is running on it). */
    boolean isActive() {
        return active != null;
    }

    /** Flushes what is held and stops holding. */
    void end() {
        active = null;
        flushNow();
    }

    /** Counts a write through {@link Connection#writeHeld} and its kind; a hold it started is ended later. */
    boolean wrote(Connection connection, HeldWrite outcome) {
        if (outcome == HeldWrite.HELD) {
            if (count == held.length) {
                held = Arrays.copyOf(held, Math.min(FLUSH_AFTER, 2 * count));
            }
            held[count++] = connection;
        }
        if (++writes >= FLUSH_AFTER) {
            flushNow();
        }
        return outcome != HeldWrite.REFUSED;
    }

    /** Sends what is held now; the hold goes on for what is written next. */
    void flushNow() {
        Connection[] held = this.held;
        for (int i = 0; i < count; i++) {
            Connection c = held[i];
            held[i] = null;
            try {
                c.flush();
            } catch (RuntimeException e) {
                // One connection's failure must not leave the others held.
                log.warn("flushing {} failed", c, e);
            }
        }
        count = 0;
        writes = 0;
        if (held.length > 4096) {
            this.held = new Connection[16]; // a burst to very many connections should not stay allocated
        }
    }

    /** How many connections the list has room for now; for tests. */
    int capacity() {
        return held.length;
    }

    /** A worker thread of the core, with the writes it holds. */
    static final class Worker extends Thread {
        final HeldWrites held;

        Worker(Runnable task, String name, long highWater) {
            super(task, name);
            this.held = new HeldWrites(highWater);
        }
    }
}
