package dev.parley.filetransfer.spool;

import dev.parley.core.protocol.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One file in the spool, finished or not. Fields change only while holding the entry's monitor; they are
 * volatile so that {@link FileSpool} may read them (for quota and listings) without it.
 */
final class SpoolEntry {
    final FileOffer offer;
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
        this.offer = offer;
        this.expiresAt = expiresAt;
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

    boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
