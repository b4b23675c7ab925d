package dev.parley.client.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** SHA-256 as lower-case hex, the form the protocol uses. */
public final class Sha256 {
    private Sha256() {
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The file's SHA-256. A second thread reads the file in 1 MiB pieces while this one hashes the piece
     * before, so the read is off the critical path (the digest costs several times the page-cache read); at
     * most {@value #PIECES_AHEAD} pieces wait.
     */
    public static String of(Path file) throws IOException {
        MessageDigest digest = digest();
        BlockingQueue<byte[]> full = new ArrayBlockingQueue<>(PIECES_AHEAD);
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> readInto(file, full), READER);
        try {
            for (byte[] piece = full.take(); piece.length > 0; piece = full.take()) {
                digest.update(piece);
            }
            reading.join();
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing " + file, e);
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause()
                    : new IOException("cannot read " + file + ": " + e.getCause(), e.getCause());
        }
        return hex(digest);
    }

    /** Pieces read ahead of the digest. */
    private static final int PIECES_AHEAD = 4;
    private static final int PIECE_BYTES = 1024 * 1024;
    private static final Executor READER = r -> {
        Thread thread = new Thread(r, "parley-client-sha256-read");
        thread.setDaemon(true);
        thread.start();
    };

    /** Reads the file into the queue, then an empty piece; a failure also ends with the empty piece. */
    private static void readInto(Path file, BlockingQueue<byte[]> full) {
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                byte[] piece = new byte[PIECE_BYTES];
                int n = in.readNBytes(piece, 0, piece.length);
                if (n == 0) {
                    break;
                }
                full.put(n == piece.length ? piece : java.util.Arrays.copyOf(piece, n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                full.put(new byte[0]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
