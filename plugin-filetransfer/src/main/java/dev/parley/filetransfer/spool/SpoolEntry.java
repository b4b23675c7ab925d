package dev.parley.filetransfer.spool;

import java.time.Instant;
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

    SpoolEntry(FileOffer offer, Instant expiresAt) {
        this.offer = offer;
        this.expiresAt = expiresAt;
    }

    boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
