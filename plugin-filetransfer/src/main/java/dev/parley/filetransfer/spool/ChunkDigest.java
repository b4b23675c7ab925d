package dev.parley.filetransfer.spool;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The SHA-256 of an upload, computed on another thread while its chunks are written to disk.
 *
 * <p>Hashing a chunk costs about as much as writing it (SHA-256 runs at ~1.3 GB/s with the CPU's SHA
 * instructions; a page-cache write of 1 MiB takes 0.3-3 ms), so run one after the other on the session's
 * worker a CHUNK would take their sum. Here the worker writes while a hashing thread digests the
 * chunk before, in order (each update runs after the previous one), and the worker waits only when the
 * hashing falls {@value #MAX_BEHIND} chunks behind, which bounds the chunk arrays held for it. Not
 * thread-safe: called under the entry's monitor, in chunk order.
 */
final class ChunkDigest {
    /** Chunks whose hashing may still be pending; their arrays stay reachable until it is done. */
    static final int MAX_BEHIND = 2;

    private final MessageDigest digest;
    private final Executor executor;
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    /**
     * @param digest   SHA-256, fed with the bytes received so far
     * @param executor runs the updates; one that runs them at once makes hashing synchronous
     */
    ChunkDigest(MessageDigest digest, Executor executor) {
        this.digest = digest;
        this.executor = executor;
    }

    /** Hashes {@code bytes} after every earlier chunk; the array must not change afterwards. */
    void update(byte[] bytes) throws IOException {
        while (!pending.isEmpty() && pending.peekFirst().isDone()) {
            pending.removeFirst();
        }
        while (pending.size() >= MAX_BEHIND) {
            await(pending.removeFirst());
        }
        last = last.thenRunAsync(() -> digest.update(bytes), executor);
        pending.addLast(last);
    }

    /** Waits for every update, then returns the digest in lower-case hex; the digest is spent. */
    String finish() throws IOException {
        await(last);
        pending.clear();
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void await(CompletableFuture<Void> update) throws IOException {
        try {
            update.join();
        } catch (CompletionException e) {
            throw new IOException("hashing the upload failed: " + e.getCause(), e.getCause());
        }
    }
}
