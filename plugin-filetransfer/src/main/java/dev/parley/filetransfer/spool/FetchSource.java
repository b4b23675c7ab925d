package dev.parley.filetransfer.spool;

import dev.parley.core.protocol.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a FETCH reads: a completed file, or an upload still arriving that a recipient follows (cut-through,
 * see docs/protocol.md, FETCH). For an upload the readable length grows as chunks land; a stream that has
 * read everything so far {@link #park parks} and is woken by the next chunk, the completion or the discard, so
 * no thread waits and nothing polls.
 */
public final class FetchSource {
    private final SpoolEntry entry;
    private final Path dir;

    FetchSource(SpoolEntry entry, Path dir) {
        this.entry = entry;
        this.dir = dir;
    }

    public FileOffer offer() {
        return entry.offer;
    }

    public String id() {
        return entry.offer.id();
    }

    public long size() {
        return entry.offer.size();
    }

    /**
     * Opens the bytes for reading: the verified file, or the partial one while the upload runs. The channel
     * outlives the completion's rename of the partial file and a later deletion by the sweep.
     */
    public FileChannel open() throws IOException {
        synchronized (entry) {
            String suffix = entry.complete ? FileSpool.DATA : FileSpool.PART;
            return FileChannel.open(dir.resolve(entry.offer.id() + suffix), StandardOpenOption.READ);
        }
    }

    /** Bytes that may be read now: the size once complete, else what was received and written. */
    public long readable() {
        return entry.complete ? entry.offer.size() : entry.received;
    }

    /** True once the upload is complete and verified: every byte may be read and the checksum holds. */
    public boolean complete() {
        return entry.complete;
    }

    /** Why an upload being followed ended without completing (e.g. CHECKSUM_MISMATCH); null when it did not. */
    public ErrorCode failure() {
        return entry.complete ? null : entry.failure;
    }

    /** What the failure means to the one following, and what to do. */
    public String failureText() {
        return entry.failureText;
    }

    /**
     * Parks a stream that has read up to {@code position} until the upload moves on. Returns false, parking
     * nothing, when there is something to do already: more bytes, completion or failure.
     */
    public boolean park(long position, Runnable wake) {
        synchronized (entry) {
            if (entry.complete || entry.failure != null || entry.discarded || entry.received > position) {
                return false;
            }
            entry.await(wake);
            return true;
        }
    }

    /** Takes back a {@link #park} whose stream stopped waiting (its connection closed). */
    public void unpark(Runnable wake) {
        synchronized (entry) {
            entry.forget(wake);
        }
    }
}
