package dev.parley.filetransfer.spool;

import dev.parley.core.protocol.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One file in the spool, finished or not. Fields change only while holding the entry's monitor; they are
 * volatile so that {@link FileSpool} may read them (for quota and listings) without it.
 */
final class SpoolEntry {
    /** Replaced once, by the sealed offer, when an upload offered without its checksum is sealed. */
    volatile FileOffer offer;
    /**
     * The upload was offered without its checksum ({@link FileOffer#AT_END}): it completes at {@code SEAL},
     * not at its last byte. Stays true once sealed, so that an OFFER of it without a checksum still finds it.
     */
    final boolean checksumAtEnd;
    /** After the last byte of a checksum-at-end upload: the SHA-256 of what arrived, for SEAL; null after a restart. */
    volatile String receivedSha256;
    volatile Instant expiresAt;
    volatile long received;
    volatile boolean complete;
    /** Set once the entry left the spool (expired, checksum mismatch); writers must then stop. */
    volatile boolean discarded;
    volatile Instant completedAt;
    /** Canonical nicks the completed file was offered to; recorded just before the last chunk is written. */
    volatile Set<String> recipients = Set.of();
    /** Whether {@link #recipients} were recorded (always once complete). */
    volatile boolean recipientsKnown;
    /** Whether the online recipients were told of the completed file (see {@code FileSpool.announced}). */
    volatile boolean announced;
    /** SHA-256 of the bytes received so far; null after a restart until the next chunk restores it. */
    ChunkDigest digest;
    /** The open {@code .part} while chunks arrive; closed after the last one, a failed write or a discard. */
    FileChannel writer;
    /**
     * Owners who may FETCH the upload before it completes (see {@link FetchSource}): the online recipients at
     * OFFER. In memory only; after a restart the target nick's owner still may, a room's members wait for FILE.
     */
    volatile Set<String> followers = Set.of();
    /** Why an unfinished upload was discarded, for the FETCHes following it; null while it was not. */
    volatile ErrorCode failure;
    volatile String failureText;
    /** FETCHes following the upload that wait for its next bytes; one-shot, guarded by the entry's monitor. */
    private final List<Runnable> waiters = new ArrayList<>(1);

    SpoolEntry(FileOffer offer, Instant expiresAt) {
        this(offer, expiresAt, offer.checksumAtEnd());
    }

    SpoolEntry(FileOffer offer, Instant expiresAt, boolean checksumAtEnd) {
        this.offer = offer;
        this.expiresAt = expiresAt;
        this.checksumAtEnd = checksumAtEnd;
    }

    /** Every byte arrived, but the sender has yet to SEAL it; call holding the entry's monitor. */
    boolean awaitsSeal() {
        return checksumAtEnd && !complete && received == offer.size();
    }

    /** Parks a following FETCH until the next change; call holding the entry's monitor. */
    void await(Runnable wake) {
        waiters.add(wake);
    }

    /** Forgets a parked FETCH that stopped waiting; call holding the entry's monitor. */
    void forget(Runnable wake) {
        waiters.remove(wake);
    }

    /**
     * Bytes arrived, or the upload completed or was discarded: the parked FETCHes go on. Call holding the
     * entry's monitor; the wakers only hand their stream to an executor, so this never blocks the uploader.
     */
    void wake() {
        if (waiters.isEmpty()) {
            return;
        }
        List<Runnable> woken = List.copyOf(waiters);
        waiters.clear();
        woken.forEach(Runnable::run);
    }

    /** Closes {@link #writer}, if open; call holding the entry's monitor. */
    void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // Nothing to lose: every write before returned, and a failed one is sent again after a re-OFFER.
            }
            writer = null;
        }
    }

    boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
