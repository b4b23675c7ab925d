package dev.parley.transport.mina;

import dev.parley.core.net.Connection;
import dev.parley.core.net.CutOff;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.protocol.SeqPrefix;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.future.IoFutureListener;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.transport.socket.nio.NioSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's view of one accepted MINA session, with write batching.
 *
 * <p>A frame written while the connection is idle goes straight into the socket on the writer's thread (see
 * {@link #writeOut}); only what the socket does not take becomes a MINA write, and at most one MINA write is in
 * flight per connection. Frames written while one is in flight are appended to a per-connection queue of
 * references (the shared {@code byte[]}s, never copied on append, and for numbered events their sequence
 * number); when the in-flight write completes (its {@link WriteFuture}, listened to by this object, so no
 * allocation per write), the queue is gathered into one {@link IoBuffer} of at most {@link #MAX_BATCH_BYTES}
 * (the rest stays queued) and written. A busy connection thus costs one {@code write(2)} per batch instead of
 * per frame. The buffers are {@code IoBuffer}s, so the server's filter chain needs no encoder. A core worker
 * may also hold the writes back while it runs a session's queued commands ({@link #writeHeld}): they queue as
 * behind a write in flight, and its {@link #flush()} sends them as one batch.
 *
 * <p>The read side of the session lives in {@link InboundState}, not here: every recipient of every event
 * passes through this object's lock and queue fields, and keeping them together in a small object keeps that
 * hot path within few cache lines (the fan-out's CPU per delivery is measurably higher with the read side in it).
 */
final class MinaConnection implements Connection, IoFutureListener<WriteFuture> {
    private static final Logger log = LoggerFactory.getLogger(MinaConnection.class);

    /** How long a closing connection may take to flush before it is closed anyway (a peer that never reads). */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** How long a closed-for-output connection reads on, discarding, for its peer to close (see closeWritten). */
    static final Duration LINGER = Duration.ofSeconds(2);

    /** Largest batch gathered into one MINA write; a single frame larger than this goes alone, uncopied. */
    static final int MAX_BATCH_BYTES = 128 * 1024;

    /** Queue arrays longer than this are dropped once the queue drains, so idle connections stay small. */
    private static final int KEEP_QUEUE_CAPACITY = 256;
    /** First queue capacity: most connections only ever queue a frame or two (a reply behind the greeting). */
    private static final int FIRST_QUEUE_CAPACITY = 4;

    private static final byte[] SLOW_CONSUMER_BYE = FrameWriter.encode(ByeReason.SLOW_CONSUMER.frame(
            "you did not read your messages fast enough; the server stopped queueing them"));

    private final IoSession session;
    /** The session's socket, written to directly by the writer's thread (see {@link #writeOut}); null for a session without one. */
    private final SocketChannel socket;
    private final long maxPendingBytes;
    private final int maxBatchBytes;
    /** Set once the connection takes no more writes; guarded by this for writes, volatile for readers. */
    private volatile boolean closing;

    // ---- the queue, guarded by this ----
    /**
     * A write of this connection has not completed yet: a batch a thread is writing into the socket outside the
     * lock (see {@link #writeOut}), or a MINA write. Whoever completes it sends what queued meanwhile, unless held.
     */
    private boolean inFlight;
    /**
     * A writer holds the writes back (see writeHeld): they queue until its flush(). A hold may start while a
     * write is in flight; its completion then leaves the queue to the holder's flush().
     */
    private boolean held;
    /** Ring of queued parts; null until a frame has to wait. */
    private byte[][] parts;
    /**
     * Where each part's bytes start; a negative value {@code ~offset} marks a numbered event, written behind the
     * resumption prefix for {@code seqs[i]}, whose digits go straight into the batch (no array per recipient).
     */
    private int[] offsets;
    private long[] seqs;
    private int head;
    private int count;
    /**
     * Bytes in the queue, and of a batch being written into the socket outside the lock (not yet handed to
     * MINA); written under the lock, read by pendingBytes().
     */
    private volatile long queuedBytes;
    /** close() was asked for while a write was in flight: closeWritten once the last write is out. */
    private boolean closeWhenDrained;
    /** The array of the write in flight when it is a batch gathered here (from {@link BatchArrays}), else null. */
    private byte[] batchInFlight;
    /** Core stopped reading (its inbox is full), guarded by this; reads resume when neither this nor the budget holds them. */
    private boolean inputSuspendedByCore;
    /** The server-wide memory budget stopped reading (see PendingSweep), guarded by this. */
    private boolean inputSuspendedByBudget;
    /**
     * When the socket last accepted bytes of this connection, or when bytes began to wait after none did
     * (System.currentTimeMillis); see {@link #writeStallMillis()}.
     */
    private volatile long progressMillis;
    /** Bytes this transport wrote into sockets itself, one add per socket write (not per frame). */
    private final LongAdder directlyWritten;

    /** For tests: counts its direct writes into a counter of its own. */
    MinaConnection(IoSession session, long maxPendingBytes) {
        this(session, maxPendingBytes, MAX_BATCH_BYTES, new LongAdder());
    }

    /**
     * @param directlyWritten the server's count of bytes written into sockets by writers' threads, which MINA
     *                        does not see (see {@link MinaServer#bytesWritten()})
     */
    MinaConnection(IoSession session, long maxPendingBytes, LongAdder directlyWritten) {
        this(session, maxPendingBytes, MAX_BATCH_BYTES, directlyWritten);
    }

    /** With another batch cap; for tests. */
    MinaConnection(IoSession session, long maxPendingBytes, int maxBatchBytes) {
        this(session, maxPendingBytes, maxBatchBytes, new LongAdder());
    }

    private MinaConnection(IoSession session, long maxPendingBytes, int maxBatchBytes, LongAdder directlyWritten) {
        this.session = session;
        this.socket = socketOf(session);
        this.maxPendingBytes = maxPendingBytes;
        this.maxBatchBytes = maxBatchBytes;
        this.directlyWritten = directlyWritten;
    }

    @Override
    public SocketAddress remoteAddress() {
        return session.getRemoteAddress();
    }

    /**
     * Synchronized so that concurrent writers (several worker threads fanning out events) neither slip a
     * write in after the BYE nor reorder or interleave frames.
     */
    @Override
    public boolean write(byte[] encoded) {
        IoBuffer batch;
        synchronized (this) {
            if (!admit(encoded.length)) {
                return false;
            }
            enqueue(encoded, 0);
            batch = nextToWrite();
        }
        writeOut(batch);
        return true;
    }

    /** Queues the bytes; unless someone holds this connection already, holds them (and what follows) until flush(). */
    @Override
    public synchronized HeldWrite writeHeld(byte[] encoded) {
        if (!admit(encoded.length)) {
            return HeldWrite.REFUSED;
        }
        enqueue(encoded, 0);
        return startHold();
    }

    /** {@link #writeHeld(byte[])} behind the resumption prefix, the digits written where the batch is gathered. */
    @Override
    public synchronized HeldWrite writeNumberedHeld(long seq, byte[] encoded) {
        int bodyOffset = SeqPrefix.tagged(encoded) ? 1 : 0;
        int length = SeqPrefix.length(seq) + encoded.length - bodyOffset;
        if (!admit(length)) {
            return HeldWrite.REFUSED;
        }
        enqueue(encoded, ~bodyOffset, seq, length);
        return startHold();
    }

    /**
     * After an enqueue: someone's hold sends it later, else this caller's hold does. A hold starts even while a
     * write is in flight: a worker fanning out to members whose sockets another worker is still writing to
     * neither waits for those writes nor has its events sent one write each behind them.
     */
    private HeldWrite startHold() {
        if (held) {
            return HeldWrite.QUEUED;
        }
        held = true;
        return HeldWrite.HELD;
    }

    /** Ends the hold: what queued meanwhile goes out as one batch (up to the cap), unless a write is in flight. */
    @Override
    public void flush() {
        IoBuffer batch;
        synchronized (this) {
            held = false;
            batch = nextToWrite();
        }
        writeOut(batch);
    }

    /**
     * Resumption's prefix and the shared event under one lock: while a write is in flight only the sequence
     * number is queued beside the event, and the digits are written where the batch is gathered.
     */
    @Override
    public boolean writeNumbered(long seq, byte[] encoded) {
        int bodyOffset = SeqPrefix.tagged(encoded) ? 1 : 0;
        int length = SeqPrefix.length(seq) + encoded.length - bodyOffset;
        IoBuffer batch;
        synchronized (this) {
            if (!admit(length)) {
                return false;
            }
            enqueue(encoded, ~bodyOffset, seq, length);
            batch = nextToWrite();
        }
        writeOut(batch);
        return true;
    }

    /**
     * Whether {@code length} more bytes may be queued; past max-pending-bytes, drops what is queued, says BYE and
     * closes.
     */
    private boolean admit(int length) {
        if (closing || !session.isConnected() || session.isClosing()) {
            return false;
        }
        long pending = pendingBytes();
        if (pending + length > maxPendingBytes) {
            log.info("closing {}: {} bytes queued that the client does not read (limit {})",
                    session.getRemoteAddress(), pending, maxPendingBytes);
            reportCutOff(CutOff.MAX_PENDING);
            // The client was not going to read the queue, and the close grace would keep it for seconds: only the
            // write in flight (at most a batch) stays, so the BYE follows a whole frame.
            dropQueued();
            // Past the limit on purpose: the client should learn why. Last.
            finalWrite(SLOW_CONSUMER_BYE);
            return false;
        }
        return true;
    }

    /** Drops the queued frames (not the write in flight); under the lock. */
    private void dropQueued() {
        long dropped = 0;
        if (parts != null) {
            int mask = parts.length - 1;
            for (int i = 0; i < count; i++) {
                int at = (head + i) & mask;
                dropped += wireLength(at);
                parts[at] = null;
            }
        }
        count = 0;
        head = 0;
        queuedBytes -= dropped;
    }

    /** Bytes queued here plus those MINA holds for the socket (including the write in flight). */
    @Override
    public long pendingBytes() {
        return queuedBytes + session.getScheduledWriteBytes();
    }

    /**
     * Milliseconds since the socket last accepted a byte of this connection, while bytes are waiting; MINA's own
     * writes count by its last write time, so a large write the socket takes piece by piece is progress.
     */
    @Override
    public long writeStallMillis() {
        if (pendingBytes() == 0) {
            return 0;
        }
        long last = Math.max(progressMillis, session.getLastWriteTime());
        return Math.max(0, System.currentTimeMillis() - last);
    }

    /**
     * Has MINA try the socket again now for the output it holds, instead of when the socket is reported writable.
     * Linux reports a TCP socket writable only once a third of its send buffer is free, and that buffer grows to
     * several MiB (tcp_wmem) for a peer that reads slowly through a small window: such a peer may read for more
     * than a second before the socket is reported writable, and would look as if it had stopped (see
     * {@link #writeStallMillis()}). A write accepts bytes as soon as any room is free, so after a probe a peer
     * that reads shows progress and one that stopped shows none. Any thread; a write MINA has in flight stays
     * in order, since MINA's own processor writes it.
     */
    @SuppressWarnings("unchecked")
    void probeWrite() {
        if (!closing && session.getScheduledWriteBytes() > 0 && session instanceof AbstractIoSession s) {
            ((IoProcessor<IoSession>) s.getProcessor()).flush(session);
        }
    }

    @Override
    public synchronized void suspendInput() {
        inputSuspendedByCore = true;
        session.suspendRead();
    }

    @Override
    public synchronized void resumeInput() {
        inputSuspendedByCore = false;
        if (!inputSuspendedByBudget) {
            session.resumeRead();
        }
    }

    /** The server is over half its memory budget and this connection's queued input is among the largest. */
    synchronized void suspendInputForBudget() {
        inputSuspendedByBudget = true;
        session.suspendRead();
    }

    /** The server is back well under its budget. */
    synchronized void resumeInputForBudget() {
        inputSuspendedByBudget = false;
        if (!inputSuspendedByCore && !closing) {
            session.resumeRead();
        }
    }

    /**
     * Cuts the connection off now: what is queued is dropped (its client was not going to read it), the BYE is
     * written only if the socket takes it at once and no frame is half written, and the session is closed. For
     * a client that stopped reading ({@code slow-consumer-timeout}) or the server over its memory budget, where
     * waiting for a flush would keep the memory this is meant to free.
     */
    void cutOff(CutOff cause) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            dropQueued();
            if (!inFlight && session.getScheduledWriteBytes() == 0 && directWritable()) {
                try {
                    directlyWritten.add(socket.write(ByteBuffer.wrap(SLOW_CONSUMER_BYE)));
                } catch (IOException gone) {
                    // Nothing more to tell it.
                }
            }
        }
        reportCutOff(cause);
        session.closeNow();
    }

    /** Tells core, for its counters, why this connection is being cut off. */
    private void reportCutOff(CutOff cause) {
        InboundState state = ServerIoHandler.state(session);
        InboundHandler handler = state == null ? null : state.handler();
        if (handler != null) {
            handler.cutOff(cause);
        }
    }

    /** Writes a BYE the transport decided on (core never saw a reason) and closes once it is flushed. */
    synchronized void bye(byte[] encodedBye) {
        if (!closing && session.isConnected() && !session.isClosing()) {
            finalWrite(encodedBye);
        }
    }

    @Override
    public synchronized void close() {
        if (!closing && session.isConnected() && !session.isClosing()) {
            finalWrite(null);
        } else {
            // Core closes every connection whose end it processes, most of them closed by the peer already:
            // nothing to flush, and no forced-close timer to schedule.
            closing = true;
        }
    }

    /** Marks the connection closing, queues {@code last} (if any) after everything else and closes once flushed. */
    private void finalWrite(byte[] last) {
        closing = true;
        if (last != null) {
            enqueue(last, 0);
        }
        scheduleForcedClose(session);
        if (count == 0 && !inFlight) {
            closeWritten(session); // everything is out already
        } else {
            // nextToWrite closes once the last write is out: sent now, after the write in flight, or by flush() if
            // held. Written under the lock here, which is rare enough not to matter.
            closeWhenDrained = true;
            writeOut(nextToWrite());
        }
    }

    /** A close was asked for (or a write failed): whatever the peer sends now is not for anyone. */
    boolean isClosing() {
        return closing;
    }

    @Override
    public boolean isOpen() {
        return !closing && session.isConnected() && !session.isClosing();
    }

    /** Whether nothing is queued, held or in flight: every byte written so far is in the socket; for tests. */
    synchronized boolean idle() {
        return !inFlight && !held && count == 0;
    }

    /** Whether a write of this connection has not completed yet (held or queued frames aside); for tests. */
    synchronized boolean writing() {
        return inFlight;
    }

    /** The MINA session. */
    IoSession session() {
        return session;
    }

    @Override
    public String toString() {
        return "connection from " + session.getRemoteAddress();
    }

    // ---- batching ----

    /**
     * The write in flight completed: send the next batch, if any. Runs on the I/O thread (from MINA's
     * messageSent, outside any filter's lock), or on the writer's thread when the session was already closed.
     */
    @Override
    public void operationComplete(WriteFuture future) {
        if (!future.isWritten()) {
            // The session failed or closed and MINA dropped its queue. Not taking the lock here: a failure can be
            // reported from inside a filter (TLS) that a writer holding this lock may be waiting for. The queue
            // stays as it is (inFlight too, so nothing is sent any more); admit() refuses new writes.
            closing = true;
            return;
        }
        progressMillis = System.currentTimeMillis();
        IoBuffer batch;
        synchronized (this) {
            inFlight = false;
            // MINA is done with the batch's array (the future is written before messageSent reaches anyone,
            // and nothing after us reads the bytes), so the next batch of this thread may reuse it.
            releaseBatch();
            batch = nextToWrite();
        }
        writeOut(batch);
    }

    /**
     * Under the lock: unless a write is in flight or the queue held, the next batch of the queue, marked in
     * flight, for {@link #writeOut} to write into the socket. Where the socket may not be written directly (see
     * {@link #directWritable}) the queue goes to MINA here instead, and null is returned, as when there is
     * nothing to send; a connection waiting for the last write to close (see finalWrite) is closed here.
     */
    private IoBuffer nextToWrite() {
        while (!inFlight && !held && count > 0 && !session.isClosing()) {
            IoBuffer batch = nextBatch();
            inFlight = true;
            if (directWritable()) {
                return batch;
            }
            queuedBytes -= batch.remaining();
            // If the future is already done (a closed session), the listener runs here, under this lock.
            session.write(batch).addListener(this);
        }
        if (closeWhenDrained && !inFlight && count == 0) {
            closeWhenDrained = false;
            closeWritten(session);
        }
        return null;
    }

    /**
     * Writes the batch {@link #nextToWrite} took into the socket on the calling thread, outside the lock, then
     * the batches queued meanwhile, until the queue is empty, held, or the socket full: what the socket does not
     * take goes to MINA as a write. A worker's flush is thus one {@code write(2)} and nothing else: no write
     * request, future, selector wake-up or pass of an I/O thread per batch. Outside the lock because a worker
     * fanning out to the same members would otherwise wait for each of these system calls. Order holds: the
     * batch is in flight while written, so nothing else of this connection is sent until it is out.
     */
    private void writeOut(IoBuffer batch) {
        while (batch != null) {
            int length = batch.remaining();
            IOException failure = null;
            try {
                socket.write(batch.buf());
            } catch (IOException gone) {
                failure = gone;
            }
            if (batch.remaining() < length) {
                progressMillis = System.currentTimeMillis();
                directlyWritten.add(length - batch.remaining());
            }
            synchronized (this) {
                queuedBytes -= length - batch.remaining();
                if (failure != null) {
                    log.debug("{} is gone ({}); closing it", session.getRemoteAddress(), failure.toString());
                    closing = true;
                    inFlight = false;
                    releaseBatch();
                    session.closeNow();
                    return;
                }
                if (batch.hasRemaining()) {
                    queuedBytes -= batch.remaining();
                    session.write(batch).addListener(this); // still in flight, now in MINA's hands
                    return;
                }
                inFlight = false;
                releaseBatch(); // written: this thread may gather its next batch into the same array
                batch = nextToWrite();
            }
        }
    }

    /**
     * Whether this thread may write into the socket itself: MINA holds nothing of this connection's, no filter
     * has to see the bytes (TLS must encrypt every byte), and the thread is not interrupted (an interrupted
     * thread's channel write closes the channel, see InterruptibleChannel).
     */
    private boolean directWritable() {
        return socket != null && session.getScheduledWriteBytes() == 0
                && !session.getFilterChain().contains(IoFilter.class) && !Thread.currentThread().isInterrupted();
    }

    /** Gives a gathered batch's array back to this thread's pool once nothing reads it any more. */
    private void releaseBatch() {
        if (batchInFlight != null) {
            BatchArrays.give(batchInFlight);
            batchInFlight = null;
        }
    }

    private void enqueue(byte[] part, int offset) {
        enqueue(part, offset, 0, part.length - offset);
    }

    /** Appends a part ({@code offset} negative for a numbered event, see {@link #offsets}) of {@code length} bytes on the wire. */
    private void enqueue(byte[] part, int offset, long seq, int length) {
        if (count == 0 && !inFlight) {
            progressMillis = System.currentTimeMillis(); // bytes begin to wait now, not when the peer last read
        }
        if (parts == null) {
            parts = new byte[FIRST_QUEUE_CAPACITY][];
            offsets = new int[FIRST_QUEUE_CAPACITY];
            seqs = new long[FIRST_QUEUE_CAPACITY];
        } else if (count == parts.length) {
            // Capacities are powers of two, so positions wrap with a mask.
            byte[][] grownParts = new byte[count * 2][];
            int[] grownOffsets = new int[count * 2];
            long[] grownSeqs = new long[count * 2];
            int mask = count - 1;
            for (int i = 0; i < count; i++) {
                int from = (head + i) & mask;
                grownParts[i] = parts[from];
                grownOffsets[i] = offsets[from];
                grownSeqs[i] = seqs[from];
            }
            parts = grownParts;
            offsets = grownOffsets;
            seqs = grownSeqs;
            head = 0;
        }
        int tail = (head + count) & (parts.length - 1);
        parts[tail] = part;
        offsets[tail] = offset;
        seqs[tail] = seq;
        count++;
        queuedBytes += length;
    }

    /** Bytes on the wire of the queued part at ring position {@code i}. */
    private int wireLength(int i) {
        int offset = offsets[i];
        return offset >= 0 ? parts[i].length - offset : SeqPrefix.length(seqs[i]) + parts[i].length - ~offset;
    }

    /**
     * Takes queued parts up to the batch cap (at least one) off the queue: a single part is wrapped, several
     * are copied into one array from {@link BatchArrays}, given back when the write completes. The caller takes
     * the batch's bytes off {@link #queuedBytes} once MINA or the socket has them.
     */
    private IoBuffer nextBatch() {
        byte[][] parts = this.parts;
        int[] offsets = this.offsets;
        int mask = parts.length - 1;
        int n = 0;
        int total = 0;
        while (n < count) {
            int length = wireLength((head + n) & mask);
            if (n > 0 && total + length > maxBatchBytes) {
                break;
            }
            total += length;
            n++;
        }
        IoBuffer buffer;
        if (n == 1 && offsets[head] >= 0) {
            buffer = IoBuffer.wrap(parts[head], offsets[head], total);
            parts[head] = null;
            head = (head + 1) & mask;
        } else {
            byte[] batch = BatchArrays.take(total);
            int at = 0;
            for (int k = 0; k < n; k++) {
                byte[] part = parts[head];
                int offset = offsets[head];
                if (offset < 0) {
                    offset = ~offset;
                    at = SeqPrefix.write(seqs[head], offset == 1, batch, at);
                }
                int length = part.length - offset;
                System.arraycopy(part, offset, batch, at, length);
                at += length;
                parts[head] = null;
                head = (head + 1) & mask;
            }
            buffer = IoBuffer.wrap(batch, 0, total);
            batchInFlight = batch;
        }
        count -= n;
        if (count == 0) {
            head = 0;
            if (parts.length > KEEP_QUEUE_CAPACITY) {
                this.parts = null;
                this.offsets = null;
                this.seqs = null;
            }
        }
        return buffer;
    }

    // ---- closing ----

    /**
     * Closes once everything queued is written; a peer that stops reading would keep the flush (and its
     * memory) forever, so the session is closed anyway after {@link #CLOSE_GRACE}.
     */
    static void closeGracefully(IoSession session) {
        session.closeOnFlush();
        scheduleForcedClose(session);
    }

    /**
     * The server's close once everything it wrote is out, without a reset. Closing a socket whose peer's bytes
     * are still unread makes the kernel answer with RST and drop what it has not sent yet: a client cut off in
     * the middle of an oversized payload read its {@code ERR} but, now and then, never the {@code BYE PROTOCOL}
     * behind it. So on plain TCP the output is shut down (the peer reads the BYE, then the end of the stream) and
     * the socket is read on, discarding, until the peer closes or {@link #LINGER} passes (ServerIoHandler drops
     * input once the connection is closing). Under TLS, or on a session without a socket, MINA's own close
     * applies as before.
     *
     * @param session a session whose last write has completed
     */
    static void closeWritten(IoSession session) {
        SocketChannel socket = session.getFilterChain().contains(SslFilter.class) ? null : socketOf(session);
        if (socket == null || !session.isConnected()) {
            session.closeOnFlush();
            return;
        }
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            session.closeNow();
            return;
        }
        if (session.getHandler() instanceof ServerIoHandler server) {
            server.ended(session); // core ends the session now, not when the peer gets round to closing
        }
        session.resumeRead(); // a fatal decode error paused it; unread input would turn the close into a reset
        CloseTimer.unlessClosed(session, LINGER, session::closeNow);
    }

    /** Writes a last message the transport decided on (no connection was made for it) and closes as above. */
    static void writeAndClose(IoSession session, IoBuffer last) {
        session.write(last).addListener((WriteFuture written) -> {
            if (written.isWritten()) {
                closeWritten(session);
            } else {
                session.closeNow();
            }
        });
        scheduleForcedClose(session);
    }

    private static SocketChannel socketOf(IoSession session) {
        return session instanceof NioSession nio && nio.getChannel() instanceof SocketChannel socket ? socket : null;
    }

    private static void scheduleForcedClose(IoSession session) {
        CloseTimer.unlessClosed(session, CLOSE_GRACE, () -> {
            log.debug("{} did not flush within {}; closing it", session.getRemoteAddress(), CLOSE_GRACE);
            session.closeNow();
        });
    }
}
