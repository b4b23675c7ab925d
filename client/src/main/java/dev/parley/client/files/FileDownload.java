package dev.parley.client.files;

import dev.parley.core.protocol.Frame;
import dev.parley.client.ConnectionException;
import dev.parley.client.DataLines;
import dev.parley.client.ParleyLink;
import dev.parley.client.Reply;
import dev.parley.transport.mina.PayloadArrays;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fetches one offered file into a directory: the chunks go to a temporary file there as they arrive (on the
 * connection's dispatch thread, so memory does not grow with the file), the SHA-256 is checked against the
 * offer and the server's, and only then does the file get its name: the sanitised offered name, or
 * {@code name (1).ext} and so on, never replacing a file.
 *
 * <p>The offer may be an upload still arriving ({@code OFFERED}): the server then streams the bytes as they
 * land, sends {@code WAITING} lines while the sender pauses, and ends with {@code OK FETCH} only once the upload
 * is verified (carrying the checksum, which an upload offered without one brings only at its end), or with an error (e.g. {@code CHECKSUM_MISMATCH}) after which the temporary file is deleted.
 *
 * <p>The SHA-256 runs on a thread of its own, beside the writes: hashing costs about as much CPU as the rest
 * of receiving, and on the dispatch thread it would hold up reading the socket. At most
 * {@value #HASH_BEHIND} chunks wait for it, so memory stays bounded when the hashing falls behind.
 *
 * <p>When a {@link ParleyLink#reconnects() reconnecting link} loses the connection mid-way, the temporary file
 * keeps what arrived and the download goes on with {@code FETCH <file-id> <bytes written>} on the next
 * connection; the digest runs on over the whole file, so the check at the end covers every byte.
 */
public final class FileDownload {
    /** Chunks whose hashing may be pending; the dispatch thread waits beyond this. */
    static final int HASH_BEHIND = 32;
    /** One thread hashes every download of this JVM, each in its own order (see {@link Receiving#chunk}). */
    private static final ExecutorService HASHING = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "parley-client-sha256");
        thread.setDaemon(true);
        return thread;
    });

    private final ParleyLink link;

    public FileDownload(ParleyLink link) {
        this.link = link;
    }

    /**
     * Starts the download; does not wait.
     *
     * @return completes with the file's path, or exceptionally with a {@link TransferException}
     */
    public CompletableFuture<Path> start(FileOffer offer, Path dir, Progress progress) {
        Receiving receiving;
        try {
            Files.createDirectories(dir);
            receiving = new Receiving(offer, Files.createTempFile(dir, ".parley-", ".part"), progress);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new TransferException("cannot write to " + dir + ": "
                    + e.getMessage(), e));
        }
        progress.start(offer.name(), offer.size(), 0);
        return fetch(receiving, dir);
    }

    private CompletableFuture<Path> fetch(Receiving receiving, Path dir) {
        FileOffer offer = receiving.offer;
        DataLines chunks = new DataLines(
                f -> (f.verb().equals("CHUNK") && f.payload() != null || f.verb().equals("WAITING"))
                        && offer.id().equals(f.param(0)),
                receiving::dataLine);
        Frame.Builder fetch = Frame.of("FETCH").param(offer.id());
        if (receiving.received > 0) {
            fetch.param(Long.toString(receiving.received));
        }
        return link.request(fetch.build(), chunks).handle((reply, failure) -> {
            if (failure != null && receiving.problem == null && link.reconnects() && link.isOpen()
                    && unwrap(failure) instanceof ConnectionException) {
                return fetch(receiving, dir); // the link is reconnecting: go on from what we have
            }
            try {
                return CompletableFuture.completedFuture(receiving.finish(reply, failure, dir));
            } catch (CompletionException e) {
                return CompletableFuture.<Path>failedFuture(e.getCause());
            }
        }).thenCompose(next -> next);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** One download's temporary file and running digest; touched only by the dispatch thread. */
    private static final class Receiving {
        final FileOffer offer;
        final Path temp;
        final Progress progress;
        final MessageDigest digest = Sha256.digest();
        /** Hash updates not known to be done, oldest first; each runs after the one before. */
        final ArrayDeque<CompletableFuture<Void>> hashing = new ArrayDeque<>();
        CompletableFuture<Void> hashed = CompletableFuture.completedFuture(null);
        FileChannel channel;
        long received;
        String problem;

        Receiving(FileOffer offer, Path temp, Progress progress) throws IOException {
            this.offer = offer;
            this.temp = temp;
            this.progress = progress;
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        }

        /** A CHUNK, or a WAITING line: the server is alive while the sender pauses, nothing to do. */
        void dataLine(Frame line) {
            if (line.verb().equals("CHUNK")) {
                chunk(line);
            }
        }

        void chunk(Frame chunk) {
            if (problem != null) {
                return;
            }
            long offset = Long.parseLong(chunk.param(1));
            if (offset != received) {
                problem = "the server sent bytes from offset " + offset + " where " + received + " was next";
                return;
            }
            byte[] bytes = chunk.payload();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                problem = "cannot write " + temp + ": " + e.getMessage();
                return;
            }
            hash(bytes);
            received += bytes.length;
            progress.advance(bytes.length);
        }

        /** Hands the bytes to the hashing thread, after the earlier ones; waits while it is far behind. */
        private void hash(byte[] bytes) {
            while (!hashing.isEmpty() && hashing.peekFirst().isDone()) {
                hashing.removeFirst();
            }
            if (hashing.size() >= HASH_BEHIND) {
                hashing.removeFirst().join();
            }
            hashed = hashed.thenRunAsync(() -> {
                digest.update(bytes);
                // Written (before this was queued) and hashed: the decoder may fill the array with a later chunk.
                PayloadArrays.give(bytes);
            }, HASHING);
            hashing.addLast(hashed);
        }

        Path finish(Reply reply, Throwable failure, Path dir) {
            try {
                channel.close();
                hashed.join();
                hashing.clear();
                progress.finish();
                if (failure != null) {
                    throw new TransferException(unwrap(failure).getMessage(), unwrap(failure));
                }
                if (!reply.ok()) {
                    throw new TransferException(reply.sentence());
                }
                if (problem != null) {
                    throw new TransferException(problem);
                }
                String sha256 = Sha256.hex(digest);
                // An upload offered without its checksum (OFFERED with -) learns it from the final reply only.
                String announced = reply.results().size() > 2 ? reply.results().get(2) : offer.sha256();
                boolean offeredSha = !offer.checksumAtEnd();
                if (received != offer.size() || offeredSha && !sha256.equalsIgnoreCase(offer.sha256())
                        || !sha256.equalsIgnoreCase(announced)) {
                    throw new TransferException("the bytes received (" + received + ", SHA-256 " + sha256
                            + ") are not the file offered (" + offer.size() + ", "
                            + (offeredSha ? offer.sha256() : announced) + "); nothing was kept");
                }
                Path published = SafeFileNames.publish(temp, dir, SafeFileNames.sanitize(offer.name()));
                return published;
            } catch (IOException e) {
                deleteTemp();
                throw new CompletionException(new TransferException("cannot save " + offer.name() + " in " + dir
                        + ": " + e.getMessage(), e));
            } catch (TransferException e) {
                deleteTemp();
                throw new CompletionException(e);
            }
        }

        private void deleteTemp() {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
