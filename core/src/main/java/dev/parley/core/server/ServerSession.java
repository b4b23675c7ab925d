package dev.parley.core.server;

import dev.parley.core.net.Connection;
import dev.parley.core.net.CutOff;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.SessionRetention.Outcome;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One logical session and the connection currently attached to it. Input is queued in a bounded inbox and
 * drained by one worker at a time, so a session's commands run in arrival order without a thread of its
 * own; a command that completes asynchronously holds back the next one until its final reply is written.
 *
 * <p>With retention on (see {@link DetachedSessions}) a registered session outlives its connection: it is
 * detached, numbers and keeps its events, and a resume attaches a new connection to it.
 */
final class ServerSession implements Session {

    private static final java.lang.invoke.VarHandle TALLY;
    private static final java.lang.invoke.VarHandle FED_ABOVE;

    static {
        try {
            TALLY = java.lang.invoke.MethodHandles.lookup().findVarHandle(ServerSession.class, "tally", FlowTally.class);
            FED_ABOVE = java.lang.invoke.MethodHandles.lookup().findVarHandle(ServerSession.class, "fedAbove",
                    Connection.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Items drained in one go before yielding the worker to other sessions. */
    private static final int DRAIN_BATCH = 64;

    /**
     * A recipient whose socket accepted nothing for this long has stopped reading: senders no longer wait for
     * it, so its queue grows to max-pending-bytes (or slow-consumer-timeout passes) and it is cut off, instead
     * of slowing its room for the whole timeout.
     */
    static final long READER_STOPPED_MILLIS = 1000;
    /** First and longest interval at which a waiting session looks at the queue it waits for. */
    private static final long FIRST_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    record Malformed(ProtocolException error, boolean fatal) {
    }

    /** The attachment's connection closed: detach or end once what was queued before it is done. */
    record Closed(Attachment attachment) {
    }

    /** End the session whatever its connection does (grace over, replay overflow, closed while detached). */
    private record End(String reason) {
    }

    /** Graceful shutdown: answer what is queued, then say BYE SHUTDOWN. */
    private static final Object SHUTDOWN = new Object();

    private final long id;
    private final ServerCore server;
    /** Null when commands are not rate limited; used by the draining worker only. */
    private final CommandRateLimiter rateLimiter;
    private volatile String name;
    private volatile String account;

    /** Room for one command at first (the default's 16 cost every idle session ~70 bytes); grows when a client pipelines. */
    private final ArrayDeque<Object> inbox = new ArrayDeque<>(1); // guarded by this
    private boolean draining;                                     // guarded by this
    private boolean inputSuspended;                               // guarded by this
    private long queuedPayloadBytes;                              // guarded by this: payloads in the inbox
    /** Estimated heap of the inbox's commands, payloads included; written under this, read by the memory budget. */
    private volatile long queuedInputBytes;
    private ServerSession handedOverTo;                           // guarded by this
    /**
     * Replies of overlapping commands still pending, made at the first; changed by the draining worker only,
     * volatile for {@link #isIdle}.
     */
    private volatile OverlappingReplies overlapping;
    /** An item taken from the inbox that waits for the overlapping replies, and the connection it came from; used by the draining worker only. */
    private Object waiting;
    private Attachment waitingFrom;
    /** The command that waited for {@link #fedAbove} last: it runs when the wait is over, whether or not it drained. */
    private Object waited;

    /** Set once the session will run no more commands (QUIT, BYE, shutdown); it then ends with its connection. */
    private volatile boolean closing;
    private volatile boolean ended;
    private volatile String endReason;
    /** Set by a shutdown that hands the session over: where the client resumes. */
    private volatile String nextServer;
    /** Set by a resume on this (unregistered) session: hand the connection over once the reply is written. */
    private volatile ServerSession pendingHandover;

    /** Guards sequence numbers, the replay buffer and (re)attaching, so seq order is wire order. */
    private final Object output = new Object();
    private volatile Attachment attachment;   // null while detached; changed under output
    /** Where the running command came from: its data lines and reply go there even if a resume took over. */
    private volatile Attachment commandSource;
    private volatile SocketAddress lastAddress;
    private volatile ResumeBuffer replay;     // non-null once registered under retention; changed under output
    private long handedSeq;                   // guarded by output: last seq a connection accepted
    private long backlogFrom;                 // guarded by output: handedSeq when the session detached
    private boolean ending;                   // guarded by output: an End is queued
    private boolean overflowed;               // guarded by output
    /** Flow-control counters; null until the first stall, pause or cut-off, since most sessions never have one. */
    private volatile FlowTally tally;
    /**
     * A recipient that events this session caused, fanned out on another thread (a store's commit), left above
     * flow-high-water; the drain waits for it before each command until it is below flow-low-water. Null mostly.
     */
    private volatile Connection fedAbove;

    ServerSession(long id, Attachment attachment, ServerCore server, CommandRateLimiter rateLimiter) {
        this.id = id;
        this.rateLimiter = rateLimiter;
        this.attachment = attachment;
        this.commandSource = attachment;
        this.lastAddress = attachment.connection.remoteAddress();
        this.server = server;
        attachment.bind(this);
    }

    // ---- Session ----

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        Attachment a = attachment;
        return a != null ? a.connection.remoteAddress() : lastAddress;
    }

    @Override
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    /** Set through the {@link dev.parley.core.spi.SessionAuthentication} of the authenticating plugin only. */
    void authenticate(String account) {
        this.account = Objects.requireNonNull(account, "account");
    }

    @Override
    public void register(String name) {
        this.name = name;
        DetachedSessions retention = server.retention();
        if (retention != null && replay == null) {
            synchronized (output) {
                if (replay == null) {
                    replay = new ResumeBuffer(retention.policy().replayLimit());
                }
            }
        }
    }

    @Override
    public long lastSeq() {
        if (replay == null) {
            return 0;
        }
        synchronized (output) {
            return replay.last();
        }
    }

    /** See {@link DetachedSessions#continueSequence}. */
    void continueSequence(long lastSeq, int replayLimit) {
        synchronized (output) {
            if (replay == null) {
                replay = new ResumeBuffer(replayLimit);
            }
            replay.startAfter(lastSeq);
            handedSeq = lastSeq;
        }
    }

    @Override
    public void send(Frame event) {
        ServerCore.requireEvent(event);
        server.countMessages(event.verb(), 1);
        writeEvent(FrameWriter.encode(event));
    }

    @Override
    public void close(ByeReason reason, String text) {
        close(reason, text, null);
    }

    /** As {@link #close(ByeReason, String)}, the BYE tagged {@code next=<next>} when that is not null. */
    private void close(ByeReason reason, String text, String next) {
        closing = true;
        if (endReason == null) {
            endReason = text != null ? text : "closed by the server (" + reason.code() + ")";
        }
        Attachment a;
        synchronized (output) {
            a = attachment;
            if (a == null) {
                endDetached(endReason, false);
            }
        }
        if (a != null) {
            a.bye(next == null ? reason.frame(text) : reason.frame(text, next));
        }
    }

    @Override
    public boolean isOpen() {
        Attachment a = attachment;
        return !ended && (a == null || a.connection.isOpen());
    }

    @Override
    public long pendingBytes() {
        // Detached: report "full" so that streams (FETCH) pause until a connection is attached again,
        // instead of filling the replay buffer.
        Attachment a = attachment;
        return a == null ? Long.MAX_VALUE : a.connection.pendingBytes();
    }

    @Override
    public String toString() {
        return "session " + id + (name != null ? " (" + name + ")" : "") + " from " + remoteAddress()
                + (attachment == null ? ", detached" : "");
    }

    // ---- input: called on I/O threads, only queue ----

    /** Queues input from an attachment; input from one this session no longer has is dropped. */
    void inbound(Attachment from, Object item) {
        enqueue(from, item);
    }

    void shutdown() {
        shutdown(null);
    }

    /** @param next another server's client address the client resumes on (BYE's {@code next} tag), or null */
    void shutdown(String next) {
        nextServer = next;
        enqueue(null, SHUTDOWN);
    }

    /** Graceful stop, first step: read no more input; the commands read already still run (see ServerCore.shutdown). */
    void stopInput() {
        Attachment a = attachment;
        if (a != null) {
            synchronized (this) {
                inputSuspended = true;
            }
            a.connection.suspendInput();
        }
    }

    /** Whether no command of this session is queued or running. */
    synchronized boolean isIdle() {
        // An overlapping command (a durable SAY) has run but its reply and fan-out wait for the store's commit.
        OverlappingReplies replies = overlapping;
        return !draining && inbox.isEmpty() && (replies == null || replies.settled());
    }

    // ---- writing ----

    /** An event: numbered, kept and prefixed with {@code @seq=<n>} when the session is registered under retention. */
    void writeEvent(byte[] encoded) {
        if (ended) {
            return;
        }
        HeldWrites held = HeldWrites.current();
        if (replay == null) {
            Attachment a = attachment;
            if (a != null) {
                write(a.connection, encoded, held);
                if (held != null) {
                    held.noteRecipient(a.connection);
                }
            }
            return;
        }
        synchronized (output) {
            if (ending || ended) {
                return;
            }
            long seq = replay.append(encoded);
            Attachment a = attachment;
            if (a != null) {
                boolean queued = held != null
                        ? held.wrote(a.connection, a.connection.writeNumberedHeld(seq, encoded))
                        : a.connection.writeNumbered(seq, encoded);
                if (queued) {
                    handedSeq = seq;
                    if (held != null) {
                        held.noteRecipient(a.connection);
                    }
                }
            } else if (seq - backlogFrom > server.retention().policy().replayLimit()) {
                endDetached("connection lost", true);
            }
        }
    }

    /** A data line of a command's answer: never numbered, never kept. */
    void writeData(Frame line) {
        server.commandObserver().dataLine(line);
        Attachment a = commandSource;
        if (a != null && !ended) {
            write(a.connection, FrameWriter.encode(line), HeldWrites.current());
        }
    }

    CommandObserver observer() {
        return server.commandObserver();
    }

    void writeReply(String verb, String id, Reply reply) {
        server.commandObserver().replied(verb, reply);
        Attachment a = commandSource;
        HeldWrites held = HeldWrites.current();
        if (a != null) {
            write(a.connection, FrameWriter.encode(reply.toFrame(verb, id)), held);
        }
        if (held != null) {
            held.answered(this);
        }
    }

    /** Writes through the worker's hold when there is one (see {@link HeldWrites}), else at once. */
    private static void write(Connection connection, byte[] encoded, HeldWrites held) {
        if (held != null) {
            held.wrote(connection, connection.writeHeld(encoded));
        } else {
            connection.write(encoded);
        }
    }

    /** QUIT: no more commands; the connection closes once the final reply is written. */
    void quit(String reason) {
        closing = true;
        endReason = reason;
    }

    boolean isClosing() {
        return closing;
    }

    void closeConnection() {
        Attachment a = commandSource;
        if (a != null) {
            a.connection.close();
        }
    }

    // ---- retention ----

    /** Time since input last arrived, or -1 when detached or ended. */
    long idleNanos() {
        Attachment a = attachment;
        return a == null || ended ? -1 : a.idleNanos();
    }

    /** BYE and close, keeping the session for a resume when it is registered under retention. */
    void drop(ByeReason reason, String text) {
        if (replay == null) {
            close(reason, text);
            return;
        }
        Attachment a = attachment;
        if (a != null) {
            a.bye(reason.frame(text));
        }
    }

    /** Ends a detached session; false when it is attached or already ending. Call with output held. */
    private boolean endDetached(String reason, boolean overflow) {
        if (attachment != null || ending || ended) {
            return false;
        }
        ending = true;
        overflowed = overflow;
        enqueue(null, new End(reason));
        return true;
    }

    /** Ends the session if it is still detached; for the grace sweep. */
    boolean expire() {
        synchronized (output) {
            return endDetached("connection lost", false);
        }
    }

    /** Attaches the connection of {@code from} (an unregistered session answering a resume) to this session. */
    Outcome resumeFrom(ServerSession from, OptionalLong lastSeq) {
        Attachment taken = from.attachment;
        Attachment previous;
        boolean unavailable;
        synchronized (output) {
            if (ended || ending || closing || replay == null || taken == null) {
                return overflowed ? Outcome.REPLAY_OVERFLOW : Outcome.NO_SUCH_SESSION;
            }
            long after = lastSeq.isPresent() ? lastSeq.getAsLong() : handedSeq;
            if (after > replay.last()) {
                return Outcome.SEQ_AHEAD;
            }
            previous = attachment;
            unavailable = !replay.holdsAfter(after);
            if (unavailable) {
                closing = true;
                endReason = "connection lost";
                if (previous == null) {
                    endDetached(endReason, false);
                }
            } else {
                replay.replayAfter(after, (seq, encoded) -> taken.connection.writeNumbered(seq, encoded));
                handedSeq = replay.last();
                attachment = taken;
                from.pendingHandover = this;
                server.retention().gone(this);
            }
        }
        if (unavailable) {
            if (previous != null) {
                previous.connection.close();
            }
            return Outcome.REPLAY_UNAVAILABLE;
        }
        if (previous != null) {
            // Commands the old connection still had queued are not the new client's: drop them unanswered.
            synchronized (this) {
                inbox.removeIf(item -> item instanceof Frame || item instanceof Malformed);
                queuedPayloadBytes = 0;
                queuedInputBytes = 0;
            }
            previous.connection.close();
        }
        return Outcome.RESUMED;
    }

    /**
     * After a resume's reply went out on this session's connection: every later input of it belongs to the
     * resumed session, and this one ends.
     */
    void completeHandover() {
        ServerSession target = pendingHandover;
        if (target == null) {
            return;
        }
        pendingHandover = null;
        Attachment a = attachment;
        synchronized (this) {
            handedOverTo = target;
            ended = true;
            if (a != null) {
                a.bind(target);
            }
            queuedPayloadBytes = 0;
            queuedInputBytes = 0;
            for (Object item; (item = inbox.poll()) != null; ) {
                if (item != SHUTDOWN) {
                    target.enqueue(a, item);
                }
            }
            if (inputSuspended && a != null) {
                inputSuspended = false;
                a.connection.resumeInput();
            }
        }
        server.sessionEnded(this, "resumed as session " + target.id());
    }

    // ---- the inbox ----

    /** @param from the attachment the item came from, or null for the server's own items */
    private void enqueue(Attachment from, Object item) {
        boolean schedule;
        ServerSession forward;
        synchronized (this) {
            forward = handedOverTo;
            if (forward == null) {
                if (ended || (from != null && from != attachment)) {
                    return;
                }
                if (from != null && (item instanceof Frame || item instanceof Malformed) && server.isInputClosed()) {
                    return; // decoded after the server stopped taking commands (see ServerCore.shutdown): not run
                }
                inbox.add(item);
                queuedPayloadBytes += payloadBytes(item);
                queuedInputBytes += inputBytes(item);
                if (!inputSuspended && from != null && item instanceof Frame
                        && (inbox.size() >= server.settings().maxQueuedCommands()
                            || queuedPayloadBytes >= server.settings().maxQueuedBytes())) {
                    inputSuspended = true;
                    from.connection.suspendInput();
                }
                schedule = !draining;
                draining = true;
            } else {
                schedule = false;
            }
        }
        if (forward != null) {
            forward.enqueue(from, item);
        } else if (schedule) {
            schedule();
        }
    }

    private static long payloadBytes(Object item) {
        return item instanceof Frame f && f.payload() != null ? f.payload().length : 0;
    }

    /** Roughly what a queued item costs on the heap: its text (one byte a character) and payload, plus the objects. */
    private static long inputBytes(Object item) {
        if (!(item instanceof Frame f)) {
            return 0;
        }
        long bytes = 64 + f.verb().length() + payloadBytes(f) + (f.trailing() != null ? 48 + f.trailing().length() : 0);
        for (String p : f.params()) {
            bytes += 48 + p.length();
        }
        return bytes + 96L * f.tags().size();
    }

    private void schedule() {
        try {
            server.workers().execute(this::drain);
        } catch (RejectedExecutionException stopped) {
            // The server stopped: nobody will answer anymore, and the transport closes the socket.
            synchronized (this) {
                draining = false;
            }
        }
    }

    private void drain() {
        if (!(Thread.currentThread() instanceof HeldWrites.Worker worker)) {
            drainBatch(); // an executor of a test, say: writes go out at once
            return;
        }
        HeldWrites held = worker.held;
        if (held.isActive()) {
            // Run by another session's drain on this worker, which holds its writes across drains (see below):
            // this session's own output (its answers) leaves now, what it sent to others with the rest.
            drainBatch();
            flushOwnOutput();
            return;
        }
        // What this batch of commands writes leaves when it is done (or every FLUSH_AFTER writes): see HeldWrites.
        // While other sessions' drains are queued, this worker runs up to HOLD_DRAINS - 1 of them itself before it
        // lets go, so that a member hearing several publishers gets their events in one write; each drained
        // session's own connection is flushed after its drain, so the answers that pace a publisher never wait.
        held.begin();
        try {
            drainBatch();
            flushOwnOutput();
            for (int more = 1; more < HeldWrites.HOLD_DRAINS; more++) {
                Runnable next = server.nextQueuedTask();
                if (next == null) {
                    break;
                }
                next.run();
            }
        } finally {
            held.end();
        }
    }

    /** Sends what this worker holds for this session's own connection (its answers, among others). */
    private void flushOwnOutput() {
        Attachment a = attachment;
        if (a != null) {
            a.connection.flush();
        }
    }

    private void drainBatch() {
        for (int i = 0; i < DRAIN_BATCH; i++) {
            Object item = waiting;
            waiting = null;
            if ((item instanceof Frame || item instanceof Malformed) && waitingFrom != attachment) {
                item = null; // a command of a connection a resume replaced: dropped, like those still in the inbox
            }
            synchronized (this) {
                if (item == null) {
                    item = inbox.poll();
                    queuedPayloadBytes -= payloadBytes(item);
                    queuedInputBytes -= inputBytes(item);
                    if (item == null) {
                        draining = false;
                        return;
                    }
                }
                if (inputSuspended && !server.isStopping() && inbox.size() <= server.settings().maxQueuedCommands() / 2
                        && queuedPayloadBytes <= server.settings().maxQueuedBytes() / 2) {
                    inputSuspended = false;
                    Attachment a = attachment;
                    if (a != null) {
                        a.connection.resumeInput();
                    }
                }
            }
            CompletionStage<?> earlier = overlapping == null ? null : overlapping.pending();
            boolean overlaps = rateLimiter == null && item instanceof Frame f && server.dispatcher().overlaps(f);
            if (earlier != null && (!overlaps || overlapping.full() || fedReaderBehind())) {
                // Anything else would answer (or end the session) before the pending replies: it waits for them.
                // So does a command of a session whose earlier events, fanned out elsewhere, left a recipient
                // behind (fedReaderBehind): each of its commands in the store's hands would reach that recipient
                // before the next one could wait for it.
                waiting = item;
                waitingFrom = attachment;
                earlier.whenComplete((ignored, error) -> schedule());
                return;
            }
            Connection fed = item instanceof Frame && item != waited ? fedReaderToWaitFor() : null;
            if (fed != null) {
                // Parked before the wait starts: the drain it schedules takes this command first.
                waiting = item;
                waitingFrom = attachment;
                waited = item;
                tally().stalls++;
                server.flowTotals().stalls.increment();
                long now = System.nanoTime();
                awaitDrainLater(fed, now, now + server.settings().maxStall().toNanos(), false, FIRST_POLL_NANOS);
                return;
            }
            waited = null;
            // Bulk data (an upload's CHUNK) is not held with other commands' output: what was written before
            // does not wait for its disk write, and its sender paces itself by its answer, which leaves at once
            // (held behind the CHUNKs queued after it, the answer would wait for their disk writes too).
            boolean bulk = payloadBytes(item) > 0;
            if (bulk) {
                flushHeld();
            }
            HeldWrites held = HeldWrites.current();
            if (held != null) {
                held.takeBacklog(); // noted by what ran before on this worker, not by this command
            }
            CompletionStage<?> pending = process(item, earlier);
            if (bulk) {
                flushHeld();
            }
            if (pending != null && overlaps) {
                if (overlapping == null) {
                    // Half of flow-high-water: a recipient that one fan-out takes past it still has room before
                    // max-pending-bytes (by default eight times flow-high-water) for several senders' batches.
                    overlapping = new OverlappingReplies(server.settings().maxQueuedCommands(),
                            Math.max(1, server.settings().flowHighWater() / 2));
                }
                overlapping.add(pending, inputBytes(item));
            } else if (pending != null) {
                // The next command waits for this one's reply; draining stays true meanwhile.
                pending.whenComplete((ignored, error) -> schedule());
                return;
            }
            if (held != null && item instanceof Frame && waitsForReaders(held)) {
                return; // draining stays true: awaitDrain schedules the next command
            }
        }
        schedule();
    }

    // ---- flow control (docs/protocol.md, "Flow control") ----

    /**
     * After a command: whether this session must wait before its next one, and if so starts the wait. It waits,
     * without bound, while its own client leaves more than flow-high-water of output unread (it asked for what it
     * does not read); and, for at most max-stall, while a recipient this command wrote to is above flow-high-water
     * and still reading. Waiting costs no thread: the worker moves on, and a timer reschedules the drain.
     */
    private boolean waitsForReaders(HeldWrites held) {
        CoreSettings settings = server.settings();
        Connection full = held.takeBacklog();
        Attachment a = attachment;
        Connection own = a != null ? a.connection : null;
        if (closing || own == null) {
            return false;
        }
        if (own.pendingBytes() > settings.flowHighWater()) {
            tally().pauses++;
            server.flowTotals().pauses.increment();
            awaitDrainLater(own, System.nanoTime(), 0, true, FIRST_POLL_NANOS);
            return true;
        }
        if (full != null && full != own && !settings.maxStall().isZero() && full.isOpen()
                && full.writeStallMillis() < READER_STOPPED_MILLIS) {
            tally().stalls++;
            server.flowTotals().stalls.increment();
            long now = System.nanoTime();
            awaitDrainLater(full, now, now + settings.maxStall().toNanos(), false, FIRST_POLL_NANOS);
            return true;
        }
        return false;
    }

    /**
     * Notes that events this session's commands caused, written on a thread that runs no command (a store's
     * writer completing durable SAYs after their commit, a cluster log's reader), left {@code recipient} above
     * flow-high-water: its commands then wait for that recipient as if they had written those events themselves
     * (see {@link HeldWrites#answered}). Any thread.
     */
    void fedAbove(Connection recipient) {
        fedAbove = recipient;
    }

    /**
     * Before a command: the recipient noted by {@link #fedAbove} if the command must wait for it (for at most
     * max-stall, bounded as {@link #waitsForReaders} bounds it), else null: while that recipient is above
     * flow-high-water, every command of a sender that keeps filling it waits (its own fan-out comes later, after
     * the commit). The note is dropped once the recipient has read all of its output, closed or stopped reading.
     */
    private Connection fedReaderToWaitFor() {
        Connection full = fedAbove;
        Attachment a = attachment;
        if (full == null || closing || a == null) {
            return null;
        }
        if (full == a.connection || !stillBehind(full)) {
            FED_ABOVE.compareAndSet(this, full, null);
            return null;
        }
        // below the high-water mark: go on, look again next time
        return full.pendingBytes() > server.settings().flowHighWater() ? full : null;
    }

    /**
     * Whether a recipient noted by {@link #fedAbove} has still not read all that was queued for it and still
     * reads, so that this session's overlapping commands run one at a time (see drainBatch).
     */
    private boolean fedReaderBehind() {
        Connection full = fedAbove;
        Attachment a = attachment;
        return full != null && a != null && full != a.connection && stillBehind(full);
    }

    /**
     * A noted recipient is let go once it has read everything queued for it (not at flow-low-water): until then
     * the session's SAYs go to the store one at a time, and a reader that drains between the marks does not
     * get the session's whole window of them (max-queued-commands) at once every time it dips below the mark.
     */
    private boolean stillBehind(Connection recipient) {
        return !server.settings().maxStall().isZero() && recipient.isOpen() && recipient.pendingBytes() > 0
                && recipient.writeStallMillis() < READER_STOPPED_MILLIS;
    }

    /**
     * Looks again after {@code delayNanos} whether {@code on} has drained below flow-low-water (or closed, or the
     * stall's deadline passed; {@code deadline} 0 = none); then runs the next command.
     */
    private void awaitDrainLater(Connection on, long since, long deadline, boolean own, long delayNanos) {
        // What this worker holds for the connection must leave for it to drain.
        flushHeld();
        server.later(() -> awaitDrain(on, since, deadline, own, delayNanos), delayNanos);
    }

    private void awaitDrain(Connection on, long since, long deadline, boolean own, long delayNanos) {
        long now = System.nanoTime();
        boolean timeUp = deadline != 0 && now - deadline >= 0;
        if (timeUp || ended || closing || !on.isOpen() || on.pendingBytes() <= server.settings().flowLowWater()) {
            if (!own) {
                tally().stalledNanos += now - since;
                server.flowTotals().stalledNanos.add(now - since);
            }
            schedule();
            return;
        }
        long next = Math.min(2 * delayNanos, MAX_POLL_NANOS);
        if (deadline != 0) {
            next = Math.max(1, Math.min(next, deadline - now));
        }
        long delay = next;
        server.later(() -> awaitDrain(on, since, deadline, own, delay), delay);
    }

    /** The transport cut this session's connection off (see {@link Attachment#cutOff}). */
    void cutOff(CutOff cause) {
        FlowTally t = tally();
        if (cause == CutOff.MEMORY_BUDGET) {
            t.budgetCutOffs++;
            server.flowTotals().budgetCutOffs.increment();
        } else {
            t.slowConsumerCutOffs++;
            server.flowTotals().slowConsumerCutOffs.increment();
        }
    }

    /** This session's flow-control counters. */
    FlowCounts flowCounts() {
        FlowTally t = tally;
        return t == null ? new FlowCounts(0, 0, 0, 0, 0)
                : new FlowCounts(t.stalls, t.stalledNanos, t.pauses, t.slowConsumerCutOffs, t.budgetCutOffs);
    }

    /**
     * Made on first use by compare-and-set, not under a lock: the transport counts a cut-off while it holds its
     * connection's lock, which a writer may wait for while it holds this session's locks.
     */
    private FlowTally tally() {
        FlowTally t = tally;
        if (t == null) {
            TALLY.compareAndSet(this, null, new FlowTally());
            t = tally;
        }
        return t;
    }

    /** Heap held by the commands queued and not run yet; for the transport's memory budget. */
    long queuedInputBytes() {
        return queuedInputBytes;
    }

    /**
     * Counters written by the one thread that drains the session at a time (cut-offs by the transport, once);
     * read as snapshots, so a count read while it changes may be one behind.
     */
    private static final class FlowTally {
        volatile long stalls;
        volatile long stalledNanos;
        volatile long pauses;
        volatile long slowConsumerCutOffs;
        volatile long budgetCutOffs;
    }

    private static void flushHeld() {
        HeldWrites held = HeldWrites.current();
        if (held != null) {
            held.flushNow();
        }
    }

    /** @param earlier the last pending overlapping reply, when {@code item} overlaps it; else null */
    private CompletionStage<?> process(Object item, CompletionStage<?> earlier) {
        if (item instanceof Frame frame) {
            Attachment source = attachment;
            if (closing || source == null) {
                return null;
            }
            commandSource = source;
            if (rateLimiter != null && !rateAllows(frame)) {
                return null;
            }
            return server.dispatcher().dispatch(this, frame, earlier);
        }
        if (item instanceof Malformed m) {
            commandSource = attachment;
            if (!closing) {
                writeReply("*", null, Reply.error(m.error().code(), m.error().getMessage()));
                if (m.fatal()) {
                    close(ByeReason.PROTOCOL, m.error().getMessage());
                }
            }
            return null;
        }
        if (item == SHUTDOWN) {
            String next = nextServer;
            if (next == null) {
                close(ByeReason.SHUTDOWN, "the server is shutting down");
            } else {
                endReason = SessionListener.HANDED_OVER;
                close(ByeReason.SHUTDOWN, "the server is restarting; resume on " + next, next);
            }
            return null;
        }
        if (item instanceof Closed c) {
            // Usually gone already; still open when only the client's input ended (a half-close): the answers
            // to its earlier commands are written by now, so it closes once they are flushed.
            c.attachment().connection.close();
            boolean endNow;
            synchronized (output) {
                if (c.attachment() != attachment) {
                    return null; // a connection this session already left behind
                }
                boolean detached = replay != null && !closing && !ending && !server.isStopping();
                endNow = !detached && !ending;
                if (detached) {
                    lastAddress = c.attachment().connection.remoteAddress();
                    attachment = null;
                    // The backlog counts every event no connection accepted, also those sent since the
                    // connection died and before this item was processed.
                    backlogFrom = handedSeq;
                    if (replay.last() - backlogFrom > server.retention().policy().replayLimit()) {
                        endDetached("connection lost", true);
                    } else {
                        server.retention().detached(this);
                    }
                }
            }
            if (endNow) {
                end(endReason != null ? endReason : "connection lost");
            }
            return null;
        }
        if (item instanceof End e) {
            end(e.reason());
        }
        return null;
    }

    /**
     * Checks the command against the session's rate; a rejected one is answered here, cheaply, without
     * running its handler. QUIT is always let through, so a client can leave however fast it talked.
     */
    private boolean rateAllows(Frame frame) {
        if (frame.verb().equals("QUIT")) {
            return true;
        }
        CommandRateLimiter.Verdict verdict = rateLimiter.admit(System.nanoTime());
        if (verdict == CommandRateLimiter.Verdict.RUN) {
            return true;
        }
        writeReply(frame.verb(), frame.tag(Frame.TAG_ID), server.rateLimitedReply());
        if (verdict == CommandRateLimiter.Verdict.FLOOD) {
            close(ByeReason.FLOOD, "you kept sending commands faster than the server allows; slow down");
        }
        return false;
    }

    private void end(String reason) {
        synchronized (output) {
            ended = true;
        }
        synchronized (this) {
            inbox.clear();
            queuedPayloadBytes = 0;
            queuedInputBytes = 0;
        }
        DetachedSessions retention = server.retention();
        if (retention != null) {
            retention.gone(this);
        }
        server.sessionEnded(this, reason);
    }
}
