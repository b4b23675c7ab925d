package dev.parley.filetransfer.spool;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * A completed, verified file: what {@code FILES} lists and {@code FETCH} streams.
 *
 * @param offer       what was offered
 * @param path        the verified bytes in the spool
 * @param completedAt when its last byte arrived
 * @param recipients  canonical nicks it was offered to (the target nick, or the room's members then)
 */
public record StoredFile(FileOffer offer, Path path, Instant completedAt, Set<String> recipients) {

    public StoredFile {
        recipients = Set.copyOf(recipients);
    }

    public String id() {
        return offer.id();
    }

    public long size() {
        return offer.size();
    }
}
