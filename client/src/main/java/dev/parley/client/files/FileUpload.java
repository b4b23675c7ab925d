package dev.parley.client.files;

import dev.parley.core.protocol.Frame;
import dev.parley.client.Answers;
import dev.parley.client.ParleyLink;
import dev.parley.client.Reply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one file: {@code OFFER} with its size and the checksum to come at the end ({@code -}), then pipelined
 * {@code CHUNK}s with at most {@code window} unanswered at a time, so memory stays at window × chunk size
 * whatever the file's size, and {@code SEAL} with the SHA-256 computed while the chunks were read (on a thread
 * of its own, see {@link RunningSha256}). A server from before {@code SEAL} refuses the {@code -}; the file is
 * then hashed first and offered with its SHA-256, as that server expects.
 * After a {@code BAD_OFFSET} (the server got other bytes than we thought), or when a
 * {@link ParleyLink#reconnects() reconnecting link} lost the connection under the chunks, it waits for the
 * outstanding replies, offers the same name and size again — which the server answers with the same
 * file-id and the number of bytes it holds, also after a restart — and goes on from there; the hash then
 * covers what the server holds by reading it from the file again.
 */
public final class FileUpload {
    /** A quarter of the server's default payload limit (1 MiB), so a tighter server limit still fits. */
    public static final int CHUNK_BYTES = 256 * 1024;
    /** 2 MiB in flight: keeps a fast link busy without risking the server's pending-bytes limit. */
    public static final int WINDOW = 8;
    /** The checksum of an OFFER that sends it with SEAL after the last chunk. */
    static final String AT_END = "-";
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** BAD_OFFSETs in a row before giving up; connection breaks do not count (the link bounds those). */
    private static final int MAX_RESUMES = 3;

    private final ParleyLink link;
    private final Duration timeout;
    private final int chunkBytes;
    private final int window;

    public FileUpload(ParleyLink link, Duration timeout) {
        this(link, timeout, CHUNK_BYTES, WINDOW);
    }

    FileUpload(ParleyLink link, Duration timeout, int chunkBytes, int window) {
        this.link = link;
        this.timeout = timeout;
        this.chunkBytes = chunkBytes;
        this.window = window;
    }

    /** What the server accepted. */
    public record Sent(String fileId, String name, long size, String sha256) {
    }

    /** The name as sent: one protocol parameter, so no spaces or controls and no leading ':'. */
    public static String wireName(Path file) {
        String name = file.getFileName() == null ? "file" : file.getFileName().toString();
        StringBuilder sb = new StringBuilder();
        name.codePoints().forEach(c -> sb.appendCodePoint(c == ' ' || Character.isISOControl(c) ? '_' : c));
        return sb.charAt(0) == ':' ? "_" + sb.substring(1) : sb.toString();
    }

    /**
     * @param target a nick or a {@code #room}
     * @throws TransferException when the file cannot be read or the server refuses it; the message says why
     */
    public Sent send(String target, Path file, Progress progress) throws TransferException, InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new TransferException(file + " is not a file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new TransferException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new TransferException(file + " is empty; the server takes files of 1 byte or more");
        }
        String name = wireName(file);
        // The checksum at the end (SEAL): the bytes go at once, hashed as they are read.
        String announced = AT_END;
        Reply offered = await(offer(target, name, size, announced));
        if (!offered.ok() && "BAD_ARGUMENT".equals(offered.code())) {
            // A server from before SEAL wants the checksum up front: the file is read and hashed once first.
            try {
                announced = Sha256.of(file);
            } catch (IOException e) {
                throw new TransferException("cannot read " + file + ": " + e.getMessage(), e);
            }
            offered = await(offer(target, name, size, announced));
        }
        if (!offered.ok()) {
            throw new TransferException(offered.sentence());
        }
        RunningSha256 hash = announced.equals(AT_END) ? new RunningSha256(file) : null;
        String id = offered.results().get(0);
        long offset = Long.parseLong(offered.results().get(1));
        boolean resumed = offset > 0;
        boolean startedOver = false;
        progress.start(name, size, offset);
        for (int resumes = 0; ; ) {
            Outcome outcome = upload(id, file, offset, size, progress, hash);
            if (outcome.broken == null && outcome.failure == null) {
                progress.finish();
                return new Sent(id, name, size, hash != null ? hash.finish() : announced);
            }
            if (outcome.broken != null && !(link.reconnects() && link.isOpen())) {
                progress.finish();
                throw new TransferException(outcome.broken.getMessage(), outcome.broken);
            }
            if (outcome.broken == null && "CHECKSUM_MISMATCH".equals(outcome.failure.code()) && resumed
                    && !startedOver) {
                // A resumed upload whose earlier bytes were of another file (same name and size, changed since):
                // the server discarded it; send the whole file once more.
                startedOver = true;
                resumed = false;
            } else if (outcome.broken == null
                    && (!"BAD_OFFSET".equals(outcome.failure.code()) || ++resumes > MAX_RESUMES)) {
                progress.finish();
                throw new TransferException(outcome.failure.sentence());
            }
            Reply again = await(offer(target, name, size, announced));
            if (!again.ok()) {
                progress.finish();
                throw new TransferException(again.sentence());
            }
            if (!again.results().get(0).equals(id) && outcome.finished) {
                // Our last chunk (or SEAL) completed the file but its reply was lost with the connection.
                progress.finish();
                return new Sent(id, name, size, hash != null ? hash.finish() : announced);
            }
            id = again.results().get(0);
            offset = Long.parseLong(again.results().get(1));
            resumed |= offset > 0;
        }
    }

    private static Frame offer(String target, String name, long size, String sha256) {
        return Frame.of("OFFER").params(target, name, Long.toString(size), sha256).build();
    }

    /**
     * {@code failure}: a refusal; {@code broken}: the connection went; neither: every chunk (and the SEAL)
     * accepted. {@code finished}: the last byte, or the SEAL, was sent.
     */
    private record Outcome(Reply failure, Throwable broken, boolean finished) {
    }

    /**
     * Sends the chunks from {@code offset}, then, for an upload offered without its checksum, {@code SEAL}
     * with it, right behind the last chunk: the server answers in order, so it needs no wait.
     */
    private Outcome upload(String id, Path file, long offset, long size, Progress progress, RunningSha256 hash)
            throws TransferException, InterruptedException {
        Semaphore slots = new Semaphore(window);
        // Chunk arrays go back here once the server answered the chunk (it has every byte, so the socket is done
        // with the array) and its hash is done: a GiB then reuses a few megabytes that stay in the caches instead
        // of allocating (and zeroing) 4,096 new arrays for the hashing thread to read cold.
        Queue<byte[]> free = new ConcurrentLinkedQueue<>();
        AtomicReference<Reply> refused = new AtomicReference<>();
        AtomicReference<Throwable> broken = new AtomicReference<>();
        boolean finished = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (hash != null) {
                hash.seek(offset);
            }
            long position = offset;
            while (position < size && refused.get() == null && broken.get() == null) {
                acquire(slots, 1);
                int n = (int) Math.min(chunkBytes, size - position);
                byte[] bytes = n == chunkBytes ? free.poll() : null;
                ByteBuffer buffer = ByteBuffer.wrap(bytes != null ? bytes : new byte[n]);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        throw new TransferException(file + " became shorter while it was being sent");
                    }
                }
                byte[] payload = buffer.array();
                CompletableFuture<Void> hashed = hash != null ? hash.update(payload) : DONE;
                Frame chunk = Frame.of("CHUNK").params(id, Long.toString(position)).payload(payload).build();
                position += n;
                finished = position == size && hash == null;
                CompletableFuture<Reply> answer = link.request(chunk);
                answer.whenComplete((reply, failure) -> {
                    answered(reply, failure, refused, broken);
                    if (failure == null && reply.ok()) {
                        progress.advance(n);
                    }
                    slots.release();
                });
                if (n == chunkBytes) {
                    // Only after an answer: a broken connection fails the request while MINA may still hold it.
                    answer.thenAcceptBoth(hashed, (reply, done) -> free.offer(payload));
                }
            }
            if (hash != null && position == size && refused.get() == null && broken.get() == null) {
                acquire(slots, 1);
                finished = true;
                link.request(Frame.of("SEAL").params(id, hash.finish()).build()).whenComplete((reply, failure) -> {
                    answered(reply, failure, refused, broken);
                    slots.release();
                });
            }
        } catch (IOException e) {
            throw new TransferException("cannot read " + file + ": " + e.getMessage(), e);
        }
        acquire(slots, window); // every reply is in
        return new Outcome(refused.get(), broken.get(), finished);
    }

    private static void answered(Reply reply, Throwable failure, AtomicReference<Reply> refused,
                                 AtomicReference<Throwable> broken) {
        if (failure != null) {
            broken.compareAndSet(null, failure);
        } else if (!reply.ok()) {
            refused.compareAndSet(null, reply);
        }
    }

    private void acquire(Semaphore slots, int permits) throws TransferException, InterruptedException {
        if (!Answers.acquire(link, slots, permits, timeout)) {
            throw new TransferException("the server did not confirm a chunk within " + timeout.toSeconds() + " s");
        }
    }

    private Reply await(Frame command) throws TransferException, InterruptedException {
        try {
            return Answers.await(link, link.request(command), timeout);
        } catch (ExecutionException e) {
            throw new TransferException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TransferException("no answer to " + command.verb() + " within " + timeout.toSeconds() + " s", e);
        }
    }
}
