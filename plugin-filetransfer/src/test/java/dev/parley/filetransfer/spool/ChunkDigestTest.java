package dev.parley.filetransfer.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("ChunkDigest")
class ChunkDigestTest {

    private static MessageDigest sha256() throws Exception {
        return MessageDigest.getInstance("SHA-256");
    }

    @Test
    @DisplayName("hashes chunks in the order they were given, though other threads compute it")
    void sameAsOneShot() throws Exception {
        Random random = new Random(7);
        byte[][] chunks = new byte[64][];
        MessageDigest expected = sha256();
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = new byte[1 + random.nextInt(100_000)];
            random.nextBytes(chunks[i]);
            expected.update(chunks[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ChunkDigest digest = new ChunkDigest(sha256(), pool);
            for (byte[] chunk : chunks) {
                digest.update(chunk);
            }
            assertThat(digest.finish()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    @Timeout(10)
    @DisplayName("the caller waits once hashing is MAX_BEHIND chunks behind, so the arrays held stay bounded")
    void boundedBacklog() throws Exception {
        BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();
        ChunkDigest digest = new ChunkDigest(sha256(), held::add); // runs nothing until the test says so
        byte[] chunk = {1, 2, 3};
        for (int i = 0; i < ChunkDigest.MAX_BEHIND; i++) {
            digest.update(chunk); // returns at once: within the backlog
        }

        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> {
            try {
                digest.update(chunk);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(next).as("the update over the backlog waits for hashing").isNotDone();

        held.take().run(); // the oldest update ran: room for one more
        next.get(5, TimeUnit.SECONDS);
        assertThat(next).isDone();

        // Drain the rest so finish() can complete; it must equal the digest of the four chunks.
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            try {
                return digest.finish();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < ChunkDigest.MAX_BEHIND; i++) {
            held.take().run();
        }
        MessageDigest expected = sha256();
        for (int i = 0; i <= ChunkDigest.MAX_BEHIND; i++) {
            expected.update(chunk);
        }
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(HexFormat.of().formatHex(expected.digest()));
    }

    @Test
    @DisplayName("an update that failed makes finish() fail instead of returning a wrong checksum")
    void failureSurfaces() throws Exception {
        ChunkDigest digest = new ChunkDigest(sha256(), task -> {
            throw new IllegalStateException("no thread left");
        });
        digest.update(new byte[] {1});

        assertThat(catchThrowable(digest::finish))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("hashing the upload failed");
    }
}
