package dev.parley.filetransfer.spool;

import java.time.Instant;
import java.util.Objects;

/**
 * What a sender offered: fixed for the life of the file. Owners are written {@code account:<name>} for an
 * authenticated session and {@code guest:<run>/<session-id>} (the run being the cluster's node id, or a new random one per start) for a guest, whose files end with its session
 * (see {@link FileSpool#sessionEnded}).
 *
 * @param id         server-generated, unguessable; also the stem of the file names in the spool
 * @param sender     the sender's canonical nick: who may send chunks, whose quota it counts against
 * @param senderName the sender's nick as shown in {@code FILE} lines
 * @param name       the sanitised display name (see {@link FileNames}); never a path
 * @param size       bytes announced
 * @param sha256     lower-case hex SHA-256 announced, or {@link #AT_END} while an upload offered without one
 *                   (its checksum comes with {@code SEAL} after the last byte) is not sealed yet
 * @param target     the nick or {@code #room} it was offered to, as written by the sender
 * @param offeredAt  when it was first offered
 * @param senderOwner the sending session's owner: who may fetch the file as its sender
 * @param quotaKey   whose quota it counts against: {@code account:<name>}, or {@code address:<ip>} for a guest
 * @param targetOwner the owner of the target nick's session at OFFER, whom the file is for; empty for a room
 */
public record FileOffer(String id, String sender, String senderName, String name, long size, String sha256,
                        String target, Instant offeredAt, String senderOwner, String quotaKey, String targetOwner) {

    /** The checksum of an OFFER that sends it at the end of the upload ({@code SEAL}), as written on the wire. */
    public static final String AT_END = "-";

    public FileOffer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(senderName, "senderName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(offeredAt, "offeredAt");
        Objects.requireNonNull(senderOwner, "senderOwner");
        Objects.requireNonNull(quotaKey, "quotaKey");
        Objects.requireNonNull(targetOwner, "targetOwner");
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
    }

    /** True while the checksum is still to come with {@code SEAL}. */
    public boolean checksumAtEnd() {
        return AT_END.equals(sha256);
    }

    /** The same offer with the checksum its sender sealed it with. */
    public FileOffer sealed(String checksum) {
        return new FileOffer(id, sender, senderName, name, size, checksum, target, offeredAt, senderOwner, quotaKey,
                targetOwner);
    }

    /** True when the target is a room rather than a nick. */
    public boolean toRoom() {
        return target.startsWith("#");
    }
}
