package dev.parley.filetransfer.transfer;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.filetransfer.spool.StoredFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One FETCH: sends a file as {@code CHUNK} data lines of the FETCH's answer, reading the next chunk from disk only while the bytes
 * queued for the client are below the window, so the file goes as fast as the client reads and neither
 * the whole file nor a stalled client's backlog sits in memory (at most the window plus one chunk).
 *
 * <p>A stalled stream holds no thread: it looks again later (a timer on the scheduler hands the work back to
 * the I/O executor, because timer tasks must not touch the disk). It resumes once the queue has drained to
 * half the window (the low-water mark), so each resume refills half a window instead of one chunk. The
 * look-again delay is adaptive: it starts at {@link #MIN_POLL_NANOS}, about the time loopback takes to drain
 * a few chunks, and doubles while the client reads nothing, up to the configured poll interval. A fixed 5 ms
 * poll capped a 256 KiB window at 50 MiB/s whenever the socket fell behind; a client that keeps up is now
 * looked at again within tens of microseconds, and a stalled one still costs one timer task per poll interval.
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

    private final StoredFile file;
    private final Request request;
    private final Session session;
    private final int chunkBytes;
    private final long windowBytes;
    private final Duration pollInterval;
    private final ScheduledExecutorService scheduler;
    private final Executor io;
    private final CompletableFuture<Reply> done = new CompletableFuture<>();
    private FileChannel channel;
    private long position;
    /** The next look-again delay; reset whenever the stream moves on. Touched by one task at a time. */
    private long pollNanos = MIN_POLL_NANOS;

    FetchStream(StoredFile file, long offset, Request request, int chunkBytes, long windowBytes,
                Duration pollInterval, ScheduledExecutorService scheduler, Executor io) {
        this.file = file;
        this.position = offset;
        this.request = request;
        this.session = request.session();
        this.chunkBytes = chunkBytes;
        this.windowBytes = windowBytes;
        this.pollInterval = pollInterval;
        this.scheduler = scheduler;
        this.io = io;
    }

    /** Opens the file and sends what the window allows; the stage completes with {@code OK FETCH}. */
    CompletionStage<Reply> start() throws IOException {
        // Opened once: a sweep that deletes the file meanwhile does not cut a download short.
        channel = FileChannel.open(file.path(), StandardOpenOption.READ);
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
                if (position >= file.size()) {
                    finish(Reply.ok(file.id(), Long.toString(file.size()), file.offer().sha256()));
                    return;
                }
                if (session.pendingBytes() >= windowBytes) {
                    stall();
                    return;
                }
                byte[] chunk = read((int) Math.min(chunkBytes, file.size() - position));
                request.data(Frame.of("CHUNK").params(file.id(), Long.toString(position)).payload(chunk).build());
                position += chunk.length;
            }
            io.execute(this::pump);
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** Looks again later, sooner while the client is reading (see the class comment). */
    private void stall() {
        long delay = Math.min(pollNanos, pollInterval.toNanos());
        pollNanos = Math.min(pollNanos * 2, pollInterval.toNanos());
        scheduler.schedule(this::resume, delay, TimeUnit.NANOSECONDS);
    }

    /** On the scheduler's thread: goes on (on the I/O executor) below low water, else looks again later. */
    private void resume() {
        try {
            if (session.isOpen() && session.pendingBytes() > windowBytes / 2) {
                stall();
                return;
            }
            pollNanos = MIN_POLL_NANOS;
            io.execute(this::pump);
        } catch (Throwable e) {
            fail(e);
        }
    }

    private byte[] read(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException(file.path() + " is shorter than its " + file.size() + " bytes");
            }
        }
        return buffer.array();
    }

    private void finish(Reply reply) {
        closeChannel();
        done.complete(reply);
    }

    private void fail(Throwable e) {
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
