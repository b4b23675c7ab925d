package dev.parley.filetransfer.transfer;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.filetransfer.spool.FetchSource;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One FETCH: sends a file as {@code CHUNK} data lines of the FETCH's answer, reading the next chunk from disk only while the bytes
 * queued for the client are below the window, so the file goes as fast as the client reads and neither
 * the whole file nor a stalled client's backlog sits in memory (at most the window plus one chunk).
 *
 * <p>A stalled stream holds no thread: it looks again later (a timer on the scheduler hands the work back to
 * the I/O executor, because timer tasks must not touch the disk). It resumes once the queue has drained to
 * half the window (the low-water mark), so each resume refills half a window instead of one chunk. The
 * look-again delay is adaptive: it starts at {@link #MIN_POLL_NANOS}, about the time loopback takes to drain
 * a few chunks, and doubles while the client reads nothing (a look that finds the queue shorter keeps the delay),
 * up to the configured poll interval. A fixed 5 ms
 * poll capped a 256 KiB window at 50 MiB/s whenever the socket fell behind; a client that keeps up is now
 * looked at again within tens of microseconds, and a stalled one still costs one timer task per poll interval.
 *
 * <p>A FETCH of an upload still arriving (cut-through) reads up to the bytes received so far, then parks on
 * the upload: the next chunk, the completion or the discard wakes it (no thread waits, nothing polls). While
 * parked it sends {@code WAITING <file-id> <bytes-so-far>} every {@code fetch-waiting-interval}, so the
 * client hears from the server while the sender is slow or away, and a closed connection is noticed. It
 * ends with {@code OK FETCH} once the upload is complete and verified, or with the upload's failure
 * ({@code CHECKSUM_MISMATCH}, {@code NO_SUCH_FILE}). A slow reader only falls behind: it reads from the spool
 * later, the uploader never waits for it.
 *
 * <p>Chunks are data lines, not events: they belong to this command's answer and go to the connection that
 * asked. Events are kept for replay when resumption is on; a stream of 64 KiB chunks there would pin
 * megabytes per session for nothing, since a client that reconnects continues with FETCH from its offset.
 */
final class FetchStream {
    /** Never reaches a client: it only completes the stage of a FETCH whose connection is gone. */
    private static final ErrorCode CLOSED = new ErrorCode("CLOSED");
    /** Chunks sent in one go before yielding the thread to other streams. */
    private static final int BATCH = 16;
    /** First look-again delay after the window filled; doubled per look that finds the queue still above low water. */
    static final long MIN_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final FetchSource file;
    private final Request request;
    private final Session session;
    private final int chunkBytes;
    private final long windowBytes;
    private final Duration pollInterval;
    private final ScheduledExecutorService scheduler;
    private final Executor io;
    private final Duration waitingInterval;
    private final CompletableFuture<Reply> done = new CompletableFuture<>();
    /** True while parked on the upload; whoever flips it back to false resumes the stream, once. */
    private final AtomicBoolean parked = new AtomicBoolean();
    private final Runnable wake = this::woken;
    private volatile ScheduledFuture<?> waiting;
    private FileChannel channel;
    private long position;
    /** The next look-again delay; reset whenever the stream moves on. Touched by one task at a time. */
    private long pollNanos = MIN_POLL_NANOS;
    /** The queued bytes at the last look while stalled; -1 when not stalled. */
    private long lastPending = -1;

    FetchStream(FetchSource file, long offset, Request request, int chunkBytes, long windowBytes,
                Duration pollInterval, Duration waitingInterval, ScheduledExecutorService scheduler, Executor io) {
        this.file = file;
        this.position = offset;
        this.request = request;
        this.session = request.session();
        this.chunkBytes = chunkBytes;
        this.windowBytes = windowBytes;
        this.pollInterval = pollInterval;
        this.scheduler = scheduler;
        this.io = io;
        this.waitingInterval = waitingInterval;
    }

    /** Opens the file and sends what the window allows; the stage completes with {@code OK FETCH}. */
    CompletionStage<Reply> start() throws IOException {
        // Opened once: a sweep that deletes the file meanwhile does not cut a download short.
        channel = file.open();
        pump();
        return done;
    }

    private void pump() {
        try {
            for (int i = 0; i < BATCH; i++) {
                if (!session.isOpen()) {
                    finish(Reply.error(CLOSED, "the connection closed during the FETCH"));
                    return;
                }
                if (file.failure() != null) {
                    finish(Reply.error(file.failure(), file.failureText()));
                    return;
                }
                long readable = file.readable();
                if (position >= file.size() && file.complete()) {
                    finish(Reply.ok(file.id(), Long.toString(file.size()), file.offer().sha256()));
                    return;
                }
                if (position >= readable) {
                    if (park()) {
                        return;
                    }
                    continue; // it moved on meanwhile
                }
                if (session.pendingBytes() >= windowBytes) {
                    stall();
                    return;
                }
                byte[] chunk = read((int) Math.min(chunkBytes, readable - position));
                request.data(Frame.of("CHUNK").params(file.id(), Long.toString(position)).payload(chunk).build());
                position += chunk.length;
            }
            io.execute(this::pump);
        } catch (Throwable e) {
            fail(e);
        }
    }

    /**
     * Waits for the upload's next bytes; false when they (or its end) came meanwhile. The timer is set before
     * the stream is parked, so whoever unparks it (the upload's wake or the timer, once) cancels that timer.
     */
    private boolean park() {
        parked.set(true);
        long every = waitingInterval.toNanos();
        waiting = scheduler.scheduleAtFixedRate(this::waiting, every, every, TimeUnit.NANOSECONDS);
        if (file.park(position, wake)) {
            return true;
        }
        if (parked.compareAndSet(true, false)) {
            waiting.cancel(false);
            return false;
        }
        return true; // the timer took over (the connection closed)
    }

    /** The upload moved on: go on, on the I/O executor. Runs under the upload's lock, so it only hands over. */
    private void woken() {
        if (parked.compareAndSet(true, false)) {
            waiting.cancel(false);
            io.execute(this::pump);
        }
    }

    /** On the timer while parked: tells the client the stream is alive, or ends it when the client left. */
    private void waiting() {
        try {
            if (!parked.get()) {
                return;
            }
            if (!session.isOpen()) {
                file.unpark(wake);
                woken(); // pump sees the closed session and finishes
                return;
            }
            request.data(Frame.of("WAITING").params(file.id(), Long.toString(file.readable())).build());
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** Looks again later, sooner while the client is reading (see the class comment). */
    private void stall() {
        long delay = Math.min(pollNanos, pollInterval.toNanos());
        scheduler.schedule(this::resume, delay, TimeUnit.NANOSECONDS);
    }

    /** On the scheduler's thread: goes on (on the I/O executor) below low water, else looks again later. */
    private void resume() {
        try {
            long pending = session.pendingBytes();
            if (session.isOpen() && pending > windowBytes / 2) {
                // Slower only while the client reads nothing: one that reads, if slowly (a busy machine), is
                // looked at again as soon, instead of the delay running up to the poll interval and capping
                // the download at half a window per interval.
                if (lastPending >= 0 && pending >= lastPending) {
                    pollNanos = Math.min(pollNanos * 2, pollInterval.toNanos());
                }
                lastPending = pending;
                stall();
                return;
            }
            pollNanos = MIN_POLL_NANOS;
            lastPending = -1;
            io.execute(this::pump);
        } catch (Throwable e) {
            fail(e);
        }
    }

    private byte[] read(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("the spool's file " + file.id() + " is shorter than its " + file.size()
                        + " bytes");
            }
        }
        return buffer.array();
    }

    private void finish(Reply reply) {
        closeChannel();
        done.complete(reply);
    }

    private void fail(Throwable e) {
        if (parked.compareAndSet(true, false)) {
            file.unpark(wake);
            waiting.cancel(false);
        }
        closeChannel();
        done.completeExceptionally(e);
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only: nothing was lost.
        }
    }
}
