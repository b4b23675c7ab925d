package dev.parley.client.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The SHA-256 of a file being sent, computed from its chunks as they are read for sending, on a thread of its
 * own: the upload does not wait for a whole read and hash of the file before its first byte (the server
 * learns the checksum with {@code SEAL} at the end), and the reading thread does not wait for the hash
 * either, unless it falls {@value #MAX_BEHIND} chunks behind. Used by one thread at a time.
 */
final class RunningSha256 {
    /** Chunks whose hashing may be pending; their arrays stay reachable until it is done. */
    static final int MAX_BEHIND = 16;
    private static final int REREAD_BYTES = 1024 * 1024;
    private static final ExecutorService HASHING = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "parley-client-sha256-send");
        thread.setDaemon(true);
        return thread;
    });

    private final Path file;
    private MessageDigest digest = Sha256.digest();
    /** Bytes of the file handed to the digest, from its start. */
    private long position;
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    private String hex;

    RunningSha256(Path file) {
        this.file = file;
    }

    /**
     * Makes the digest cover the file's first {@code offset} bytes, where an upload goes on from: after a
     * resume it reads from the file what it has not hashed yet, or starts over when the server holds fewer
     * bytes than were hashed.
     */
    void seek(long offset) throws IOException {
        if (offset == position && hex == null) {
            return;
        }
        drain();
        if (offset < position || hex != null) {
            digest = Sha256.digest();
            position = 0;
            hex = null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(REREAD_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (position < offset) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), offset - position));
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new IOException(file + " became shorter while it was being sent");
                }
                digest.update(buffer.array(), 0, n);
                position += n;
            }
        }
    }

    /**
     * Hashes the next chunk of the file, after the earlier ones; the array must not change until the returned
     * stage completes (then the caller may fill it again).
     */
    CompletableFuture<Void> update(byte[] bytes) {
        while (!pending.isEmpty() && pending.peekFirst().isDone()) {
            pending.removeFirst();
        }
        if (pending.size() >= MAX_BEHIND) {
            pending.removeFirst().join();
        }
        MessageDigest into = digest;
        last = last.thenRunAsync(() -> into.update(bytes), HASHING);
        pending.addLast(last);
        position += bytes.length;
        return last;
    }

    /** The SHA-256 of every byte so far, in lower-case hex; asked again, the same answer. */
    String finish() {
        if (hex == null) {
            drain();
            hex = Sha256.hex(digest);
        }
        return hex;
    }

    private void drain() {
        last.join();
        pending.clear();
    }
}
