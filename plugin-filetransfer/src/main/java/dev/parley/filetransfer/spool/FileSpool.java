package dev.parley.filetransfer.spool;

import static dev.parley.filetransfer.FileTransferErrors.BAD_OFFSET;
import static dev.parley.filetransfer.FileTransferErrors.CHECKSUM_MISMATCH;
import static dev.parley.filetransfer.FileTransferErrors.FILE_TOO_LARGE;
import static dev.parley.filetransfer.FileTransferErrors.INCOMPLETE;
import static dev.parley.filetransfer.FileTransferErrors.NO_SUCH_FILE;
import static dev.parley.filetransfer.FileTransferErrors.QUOTA_EXCEEDED;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files on disk and everything known about them. For a file with id {@code X} the spool directory holds
 * {@code X.properties} (the offer and state, see {@link SpoolMetadata}) and either {@code X.part} (an
 * upload in progress) or {@code X.file} (verified bytes). Client-given names never reach a path.
 *
 * <p>Chunks stream straight to disk and into an incremental SHA-256 (computed beside the writes, see
 * {@link ChunkDigest}), so memory does not grow with file
 * size. Thread-safe: offers (quota and resume decisions) are serialised on the spool's monitor, writes to
 * one file on its entry's; an OFFER that finishes a resumed upload takes the entry's monitor inside the
 * spool's, and no code takes them the other way round, so they cannot deadlock. Listings read volatile fields.
 */
public final class FileSpool {
    private static final Logger log = LoggerFactory.getLogger(FileSpool.class);
    static final String PART = ".part";
    static final String DATA = ".file";
    private static final String META = ".properties";
    private static final String ACCOUNT = "account:";
    private static final String GUEST = "guest:";

    private final Path dir;
    private final long maxFileBytes;
    private final long quotaBytes;
    private volatile boolean shared;
    private final Duration ttl;
    private final Clock clock;
    /** Runs the SHA-256 updates of uploads (see {@link ChunkDigest}). */
    private final Executor hashing;
    private final Map<String, SpoolEntry> entries = new ConcurrentHashMap<>();
    private final CrashPoints crashPoints;
    /**
     * Tells this run's guests from earlier runs' (see {@link #guestPrefix()}): the cluster's node id, which
     * other servers name this one's sessions by, or a random one.
     */
    private volatile String run = FileIds.next().substring(0, 8);

    /**
     * Who an OFFER is from and for (see {@link FileOffer}).
     *
     * @param sender   the offering session's owner
     * @param quotaKey whose quota the file counts against
     * @param target   the owner of the target nick's session; empty for a room
     */
    public record Owners(String sender, String quotaKey, String target) {
    }

    /**
     * A granted offer: the id to send chunks for and the offset to go on from (0 unless resuming).
     *
     * @param unannounced when the offer found an upload that is complete (finished by a restart, or whose last
     *                    chunk's reply was lost) but whose recipients were not told yet: the file to announce,
     *                    then report with {@link #announced(String)}; null otherwise
     */
    public record Offered(String id, long offset, StoredFile unannounced) {
        public Offered(String id, long offset) {
            this(id, offset, null);
        }
    }

    /** A stored chunk: the next expected offset, and the file when this chunk completed and verified it. */
    public record Appended(long next, StoredFile completed) {
    }

    private FileSpool(Path dir, long maxFileBytes, long quotaBytes, Duration ttl, Clock clock, Executor hashing,
                      CrashPoints crashPoints) {
        this.dir = dir;
        this.crashPoints = crashPoints;
        this.hashing = hashing;
        this.maxFileBytes = maxFileBytes;
        this.quotaBytes = quotaBytes;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Opens (creating it if needed) the spool directory and loads the files a previous run left there.
     *
     * @param hashing runs the checksum of uploads while their chunks are written; when it refuses a task (full or
     *                shut down) the chunk is hashed on the caller's thread
     */
    public static FileSpool open(Path dir, long maxFileBytes, long quotaBytes, Duration ttl, Clock clock,
                                 Executor hashing) throws IOException {
        return open(dir, maxFileBytes, quotaBytes, ttl, clock, hashing, CrashPoints.NONE);
    }

    /** As {@link #open(Path, long, long, Duration, Clock, Executor)}, stopping where {@code crashPoints} says. */
    public static FileSpool open(Path dir, long maxFileBytes, long quotaBytes, Duration ttl, Clock clock,
                                 Executor hashing, CrashPoints crashPoints) throws IOException {
        Files.createDirectories(dir);
        Executor orInline = task -> {
            try {
                hashing.execute(task);
            } catch (RejectedExecutionException refused) {
                task.run();
            }
        };
        FileSpool spool = new FileSpool(dir.toRealPath(), maxFileBytes, quotaBytes, ttl, clock, orInline,
                crashPoints);
        spool.load();
        return spool;
    }

    /**
     * The directory is shared by a cluster's servers (see docs/cluster.md): {@code FILES} and the quota then
     * also count the completed files other servers wrote to it, read from their sidecars.
     */
    public void shareWithCluster(String nodeId) {
        shared = true;
        run = nodeId;
    }

    /** Closes the partial files held open for uploads (at the plugin's stop); a later chunk opens its file again. */
    public void close() {
        for (SpoolEntry e : entries.values()) {
            synchronized (e) {
                e.closeWriter();
            }
        }
    }

    /** The spool directory, absolute and real. */
    public Path directory() {
        return dir;
    }

    // ---- OFFER ----

    /**
     * Registers an offer, or finds the unfinished upload it resumes: same sender, name, size and checksum.
     *
     * @param name the sanitised display name
     */
    public synchronized Outcome<Offered> offer(String sender, String senderName, String name, long size,
                                               String sha256, String target, Owners owners) throws IOException {
        Optional<Offered> resumed = resumable(sender, name, size, sha256);
        if (resumed.isPresent()) {
            return Outcome.ok(resumed.get());
        }
        Instant now = clock.instant();
        if (size > maxFileBytes) {
            return Outcome.failed(FILE_TOO_LARGE, "files may have at most " + maxFileBytes
                    + " bytes; split the file or send it another way");
        }
        adoptOthers();
        long used = usedBy(owners.quotaKey());
        if (used + size > quotaBytes) {
            String whose = owners.quotaKey().startsWith(ACCOUNT) ? "your account has " : "your address has ";
            return Outcome.failed(QUOTA_EXCEEDED, whose + used + " of " + quotaBytes
                    + " bytes in unexpired files; wait for older ones to expire, then OFFER again");
        }
        String id = FileIds.next();
        SpoolEntry entry = new SpoolEntry(new FileOffer(id, sender, senderName, name, size, sha256, target, now,
                owners.sender(), owners.quotaKey(), owners.target()),
                now.plus(ttl));
        entry.digest = new ChunkDigest(sha256(), hashing);
        if (!Files.isDirectory(dir)) {
            // Deleted under the running server (a temp-file cleaner, an operator): what it held is gone, but
            // new uploads need not fail for it.
            log.warn("the spool directory {} was missing (deleted while the server ran?); creating it again", dir);
            Files.createDirectories(dir);
        }
        // The sidecar first: it is what a restart goes by, and one without its .part is resumed from 0. A
        // failure (a full disk) leaves neither file behind.
        try {
            SpoolMetadata.write(dir.resolve(id + META), entry);
            crashPoints.reached(CrashPoints.Step.OFFER_RECORDED);
            Files.createFile(dir.resolve(id + PART));
        } catch (IOException e) {
            deleteFiles(id);
            throw e;
        }
        entries.put(id, entry);
        return Outcome.ok(new Offered(id, 0));
    }

    /**
     * The unfinished, unexpired upload of the same sender, name, size and checksum, with the bytes received
     * so far: what an OFFER of it resumes. An OFFER without its checksum ({@link FileOffer#AT_END}) resumes an
     * upload that was offered without one too: its content is checked at SEAL, when the checksum comes.
     */
    public Optional<Offered> resumable(String sender, String name, long size, String sha256) throws IOException {
        Instant now = clock.instant();
        for (SpoolEntry e : entries.values()) {
            FileOffer o = e.offer;
            if ((!e.complete || !e.announced) && !e.discarded && !e.isExpired(now) && o.sender().equals(sender)
                    && o.name().equals(name) && o.size() == size
                    && (FileOffer.AT_END.equals(sha256) ? e.checksumAtEnd : o.sha256().equals(sha256))) {
                synchronized (e) {
                    if (e.discarded) {
                        continue;
                    }
                    if (!e.complete && e.received == o.size() && !e.checksumAtEnd) {
                        // Every byte arrived but the upload was not finished (a failed sidecar write): finish it
                        // now, or start it over from 0.
                        finishFull(e);
                    }
                    return e.complete
                            ? Optional.of(new Offered(o.id(), o.size(), stored(e)))
                            : Optional.of(new Offered(o.id(), e.received));
                }
            }
        }
        return Optional.empty();
    }

    /** The online recipients of a completed file were told about it: a later OFFER of it starts a new upload. */
    public void announced(String id) throws IOException {
        SpoolEntry entry = entries.get(id);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            if (entry.discarded || entry.announced) {
                return;
            }
            crashPoints.reached(CrashPoints.Step.ANNOUNCED);
            entry.announced = true;
            SpoolMetadata.write(dir.resolve(id + META), entry);
        }
    }

    /** Bytes held in the spool under a quota key: sizes of unexpired files, unfinished uploads included. */
    public long usedBy(String quotaKey) {
        Instant now = clock.instant();
        long used = 0;
        for (SpoolEntry e : entries.values()) {
            if (e.offer.quotaKey().equals(quotaKey) && !e.discarded && !e.isExpired(now)) {
                used += e.offer.size();
            }
        }
        return used;
    }

    // ---- CHUNK ----

    /**
     * Writes a chunk of an upload at its offset. The chunk that brings the last byte also checks the SHA-256:
     * on a match the file is stored under {@code recipients.apply(offer)} (canonical nicks) and returned in
     * {@link Appended#completed()}; on a mismatch it is discarded.
     *
     * @param sender the canonical nick of the session sending the chunk; only the uploader's chunks count
     */
    public Outcome<Appended> append(String id, String sender, long offset, byte[] bytes,
                                    Function<FileOffer, Set<String>> recipients) throws IOException {
        SpoolEntry entry = FileIds.isWellFormed(id) ? entries.get(id) : null;
        if (entry == null || !entry.offer.sender().equals(sender)) {
            return noSuchFile(id);
        }
        synchronized (entry) {
            FileOffer offer = entry.offer;
            if (entry.discarded || entry.isExpired(clock.instant())) {
                return noSuchFile(id);
            }
            if (entry.complete) {
                return Outcome.failed(BAD_OFFSET, "file " + id + " is complete: all " + offer.size()
                        + " bytes arrived; send no more chunks");
            }
            if (offset != entry.received) {
                return Outcome.failed(BAD_OFFSET, "expected offset " + entry.received
                        + "; send the chunk that starts there");
            }
            if (offset + bytes.length > offer.size()) {
                return Outcome.failed(BAD_OFFSET, "the chunk ends at " + (offset + bytes.length)
                        + ", past the announced size " + offer.size() + "; send at most "
                        + (offer.size() - offset) + " bytes");
            }
            Path part = dir.resolve(id + PART);
            boolean last = offset + bytes.length == offer.size();
            if (last) {
                // Recorded before the last bytes land, so that a crash after them finds whom the file is for
                // and a restart can finish it (see finishFull).
                entry.recipients = Set.copyOf(recipients.apply(offer));
                entry.recipientsKnown = true;
                SpoolMetadata.write(dir.resolve(id + META), entry);
                crashPoints.reached(CrashPoints.Step.RECIPIENTS_RECORDED);
            }
            FileChannel channel;
            try {
                if (entry.digest == null) {
                    entry.digest = new ChunkDigest(rehash(part, entry.received), hashing);
                }
                if (entry.writer != null && !Files.exists(part)) {
                    entry.closeWriter(); // deleted outside Parley: the open below reports it
                }
                if (entry.writer == null) {
                    // Kept open for the upload's chunks: an open and a close per chunk cost more than its write.
                    entry.writer = FileChannel.open(part, StandardOpenOption.WRITE);
                }
                channel = entry.writer;
            } catch (NoSuchFileException gone) {
                // The partial file was deleted outside Parley (or is shorter than what was received): the upload
                // cannot go on from here, and nothing of it should linger.
                log.warn("the partial upload {} is missing from the spool {}; discarding it", id, dir);
                discard(entry);
                return Outcome.failed(NO_SUCH_FILE, "the bytes received for file " + id + " are gone from the"
                        + " server's spool; OFFER the file again to start over");
            }
            // Hashed while it is written (see ChunkDigest). A failed write leaves the digest ahead of the
            // file, so it is dropped and rebuilt from the bytes that did arrive when the chunk is sent again.
            entry.digest.update(bytes);
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                long position = offset;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            } catch (IOException | RuntimeException e) {
                entry.digest = null;
                entry.closeWriter();
                throw e;
            }
            entry.received = offset + bytes.length;
            entry.wake();
            crashPoints.reached(CrashPoints.Step.CHUNK_WRITTEN);
            if (!last) {
                return Outcome.ok(new Appended(entry.received, null));
            }
            entry.closeWriter();
            String actual;
            try {
                actual = entry.digest.finish();
            } finally {
                entry.digest = null;
            }
            if (entry.checksumAtEnd) {
                // Checked when the sender's SEAL brings the checksum; followers wait for it at the last byte.
                entry.receivedSha256 = actual;
                return Outcome.ok(new Appended(entry.received, null));
            }
            if (!actual.equals(offer.sha256())) {
                // The text first: a follower that sees the failure (volatile) then reads the text written before it.
                entry.failureText = "the upload of " + id + " failed its checksum (the bytes hash to " + actual
                        + ", not the offered " + offer.sha256() + "): delete what you received of it";
                entry.failure = CHECKSUM_MISMATCH;
                discard(entry);
                return Outcome.failed(CHECKSUM_MISMATCH, "the bytes received hash to " + actual
                        + ", not the offered " + offer.sha256() + "; the upload was discarded, OFFER the file again");
            }
            crashPoints.reached(CrashPoints.Step.VERIFIED);
            complete(entry);
            return Outcome.ok(new Appended(entry.received, stored(entry)));
        }
    }

    // ---- SEAL ----

    /**
     * Completes an upload offered without its checksum: every byte has arrived, and {@code sha256} (lower-case
     * hex) is what the sender says they hash to. On a match the file is stored under
     * {@code recipients.apply(offer)} (unless they were recorded at the last chunk) and returned in
     * {@link Appended#completed()}; on a mismatch it is discarded, as at a CHUNK. Sealing a complete file again
     * with its checksum changes nothing (a lost reply); {@code completed} is then the file if its recipients
     * were not told yet, else null.
     */
    public Outcome<Appended> seal(String id, String sender, String sha256,
                                  Function<FileOffer, Set<String>> recipients) throws IOException {
        SpoolEntry entry = FileIds.isWellFormed(id) ? entries.get(id) : null;
        if (entry == null || !entry.offer.sender().equals(sender)) {
            return noSuchFile(id);
        }
        synchronized (entry) {
            FileOffer offer = entry.offer;
            if (entry.discarded || entry.isExpired(clock.instant())) {
                return noSuchFile(id);
            }
            if (!entry.complete && entry.received == offer.size() && !entry.checksumAtEnd) {
                finishFull(entry); // offered with its checksum, every byte there but not finished: finish it now
            }
            if (entry.complete) {
                if (!entry.offer.sha256().equals(sha256)) {
                    return Outcome.failed(CHECKSUM_MISMATCH, "file " + id + " is complete and verified with SHA-256 "
                            + entry.offer.sha256() + ", not " + sha256 + "; nothing was changed");
                }
                return Outcome.ok(new Appended(offer.size(), entry.announced ? null : stored(entry)));
            }
            if (entry.received < offer.size()) {
                return Outcome.failed(INCOMPLETE, "the upload of " + id + " stands at " + entry.received + " of "
                        + offer.size() + " bytes; send the remaining chunks, then SEAL it");
            }
            String actual = entry.receivedSha256;
            if (actual == null) {
                // The last chunk arrived before a restart: hash what it left, once.
                actual = HexFormat.of().formatHex(rehash(dir.resolve(id + PART), offer.size()).digest());
            }
            if (!actual.equals(sha256)) {
                entry.failureText = "the upload of " + id + " failed its checksum (the bytes hash to " + actual
                        + ", not the sealed " + sha256 + "): delete what you received of it";
                entry.failure = CHECKSUM_MISMATCH;
                discard(entry);
                return Outcome.failed(CHECKSUM_MISMATCH, "the bytes received hash to " + actual + ", not " + sha256
                        + "; the upload was discarded, OFFER the file again");
            }
            if (!entry.recipientsKnown) {
                entry.recipients = Set.copyOf(recipients.apply(offer));
                entry.recipientsKnown = true;
            }
            crashPoints.reached(CrashPoints.Step.VERIFIED);
            // The checksum before complete: a follower that sees the completion (volatile) reads the sealed offer.
            entry.offer = offer.sealed(actual);
            entry.receivedSha256 = null;
            try {
                complete(entry);
            } catch (IOException | RuntimeException e) {
                entry.offer = offer; // not sealed: the sender's next SEAL tries again
                throw e;
            }
            return Outcome.ok(new Appended(offer.size(), stored(entry)));
        }
    }

    /**
     * Marks a verified upload complete and moves its bytes into place; call holding the entry's monitor. The
     * sidecar first: a crash before the move leaves "complete" with a .part, which load() finishes.
     */
    private void complete(SpoolEntry entry) throws IOException {
        String id = entry.offer.id();
        Instant now = clock.instant();
        entry.completedAt = now;
        entry.expiresAt = now.plus(ttl);
        entry.complete = true;
        entry.announced = false;
        try {
            SpoolMetadata.write(dir.resolve(id + META), entry);
        } catch (IOException e) {
            entry.complete = false; // still a full .part: the next OFFER of it or a restart finishes it
            throw e;
        }
        crashPoints.reached(CrashPoints.Step.COMPLETE_RECORDED);
        Files.move(dir.resolve(id + PART), dir.resolve(id + DATA), StandardCopyOption.ATOMIC_MOVE);
        entry.wake();
        crashPoints.reached(CrashPoints.Step.RENAMED);
    }

    /**
     * An upload whose {@code .part} holds every byte but that was not finished (cut between its last write and
     * its completion): verified and completed when its bytes hash to the offered SHA-256 and its recipients
     * were recorded, otherwise emptied so that the sender's next OFFER resumes it from 0. Call holding the
     * entry's monitor.
     */
    private void finishFull(SpoolEntry entry) throws IOException {
        FileOffer offer = entry.offer;
        Path part = dir.resolve(offer.id() + PART);
        entry.digest = null;
        String actual = HexFormat.of().formatHex(rehash(part, offer.size()).digest());
        if (actual.equals(offer.sha256()) && entry.recipientsKnown) {
            complete(entry);
            log.info("finished the upload {} found complete in {}", offer.id(), dir);
            return;
        }
        log.warn("the upload {} in {} holds all {} bytes but {}; starting it over from 0", offer.id(), dir,
                offer.size(), entry.recipientsKnown ? "they hash to " + actual + ", not " + offer.sha256()
                        : "its recipients were not recorded");
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        entry.received = 0;
        entry.recipients = Set.of();
        entry.recipientsKnown = false;
        SpoolMetadata.write(dir.resolve(offer.id() + META), entry);
    }

    // ---- FILES and FETCH ----

    /** Completed, unexpired files offered to the owner (see {@link FileOffer}), oldest first. */
    public List<StoredFile> offeredTo(String recipient) {
        adoptOthers();
        Instant now = clock.instant();
        List<StoredFile> files = new ArrayList<>();
        for (SpoolEntry e : entries.values()) {
            if (e.complete && !e.discarded && !e.isExpired(now) && e.recipients.contains(recipient)) {
                files.add(stored(e));
            }
        }
        files.sort(Comparator.comparing(StoredFile::completedAt).thenComparing(StoredFile::id));
        return files;
    }

    /**
     * What the owner may FETCH: a completed file it sent or was offered, or an upload still arriving that it
     * may follow (it was an online recipient at OFFER, or it is the target nick's owner); anyone else learns
     * nothing.
     *
     * @param nick  the canonical nick asking: the uploader's learns that an upload is unfinished
     * @param owner the owner asking (see {@link FileOffer})
     */
    public Outcome<FetchSource> fetchable(String id, String nick, String owner) {
        SpoolEntry e = FileIds.isWellFormed(id) ? entries.computeIfAbsent(id, this::adopt) : null;
        if (e == null || e.discarded || e.isExpired(clock.instant())) {
            return noSuchFile(id);
        }
        if (e.complete && (e.offer.senderOwner().equals(owner) || e.recipients.contains(owner))) {
            return Outcome.ok(new FetchSource(e, dir));
        }
        if (!e.complete && e.offer.sender().equals(nick)) {
            return Outcome.failed(INCOMPLETE, "the upload of " + id + " stands at " + e.received + " of "
                    + e.offer.size() + " bytes; send the remaining chunks first");
        }
        if (!e.complete && (e.offer.toRoom() ? e.followers.contains(owner) : e.offer.targetOwner().equals(owner))) {
            return Outcome.ok(new FetchSource(e, dir));
        }
        return noSuchFile(id);
    }

    /**
     * The owners told of an upload at its OFFER (with {@code OFFERED}), who may follow it before it completes;
     * for a nick that is its target's owner anyway, for a room its members online then.
     */
    public void followers(String id, Set<String> owners) {
        SpoolEntry e = entries.get(id);
        if (e != null) {
            e.followers = Set.copyOf(owners);
        }
    }

    // ---- owners ----

    /** The guest prefix of this run's sessions: a restart starts a new run, and earlier guests are gone. */
    public String guestPrefix() {
        return GUEST + run + "/";
    }

    /**
     * A guest session ended (after its resume grace): what was offered to it goes, unfinished or not; files
     * offered to it and others (a room) stay for the others.
     *
     * @return how many files were deleted
     */
    public int sessionEnded(String guest) {
        return forgetRecipients(owner -> owner.equals(guest));
    }

    /**
     * Forgets the guests of earlier runs of the server, whose sessions ended with it: called at start-up by a
     * server whose spool is its own (in a cluster the other servers' guests are still there).
     *
     * @return how many files were deleted
     */
    public int forgetEarlierGuests() {
        String current = guestPrefix();
        return forgetRecipients(owner -> owner.startsWith(GUEST) && !owner.startsWith(current));
    }

    private int forgetRecipients(Predicate<String> gone) {
        int deleted = 0;
        for (SpoolEntry e : entries.values()) {
            synchronized (e) {
                if (e.discarded) {
                    continue;
                }
                boolean forTarget = !e.offer.toRoom() && gone.test(e.offer.targetOwner());
                Set<String> left = new LinkedHashSet<>(e.recipients);
                boolean changed = left.removeIf(gone);
                if (forTarget || (changed && left.isEmpty() && e.complete)) {
                    discard(e);
                    deleted++;
                } else if (changed) {
                    e.recipients = Set.copyOf(left);
                    try {
                        SpoolMetadata.write(dir.resolve(e.offer.id() + META), e);
                    } catch (IOException ex) {
                        log.warn("could not update the recipients of {} in {}: {}", e.offer.id(), dir, ex.toString());
                    }
                }
            }
        }
        return deleted;
    }

    // ---- expiry ----

    /** Deletes every expired file, finished or not. @return how many */
    public int sweep() {
        Instant now = clock.instant();
        int deleted = 0;
        for (SpoolEntry e : entries.values()) {
            if (e.isExpired(now)) {
                synchronized (e) {
                    if (!e.discarded && e.isExpired(now)) {
                        discard(e);
                        deleted++;
                    }
                }
            }
        }
        if (deleted > 0) {
            log.info("deleted {} expired files from {}", deleted, dir);
        }
        return deleted;
    }

    // ---- internals ----

    private StoredFile stored(SpoolEntry e) {
        return new StoredFile(e.offer, dir.resolve(e.offer.id() + DATA), e.completedAt, e.recipients);
    }

    /** Removes the entry and its files; call holding the entry's monitor. */
    private void discard(SpoolEntry e) {
        if (!e.complete && e.failure == null) {
            e.failureText = "the upload of " + e.offer.id() + " was abandoned (it expired, its recipient left, or"
                    + " its bytes were lost from the spool): delete what you received of it";
            e.failure = NO_SUCH_FILE; // after its text, as above
        }
        e.discarded = true;
        e.digest = null;
        e.closeWriter();
        String id = e.offer.id();
        entries.remove(id, e);
        deleteFiles(id);
        e.wake();
    }

    /**
     * Deletes a file's sidecar, then its bytes: without its sidecar a {@code .part} or {@code .file} is an
     * orphan that the next start deletes, so a crash between the two leaves nothing that counts.
     */
    private void deleteFiles(String id) {
        for (String suffix : List.of(META + ".tmp", META, PART, DATA)) {
            try {
                Files.deleteIfExists(dir.resolve(id + suffix));
            } catch (IOException ex) {
                log.warn("could not delete {}{} from the spool {}; delete it by hand", id, suffix, dir, ex);
            }
        }
    }

    private static <T> Outcome<T> noSuchFile(String id) {
        return Outcome.failed(NO_SUCH_FILE, "no file " + id + " for you; send FILES for the files offered to you");
    }

    /** In a cluster: takes in the completed files other servers wrote to the shared directory since. */
    private void adoptOthers() {
        if (!shared) {
            return;
        }
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*" + META)) {
            for (Path meta : metas) {
                String file = meta.getFileName().toString();
                String id = file.substring(0, file.length() - META.length());
                if (FileIds.isWellFormed(id) && !entries.containsKey(id)) {
                    entries.computeIfAbsent(id, this::adopt);
                }
            }
        } catch (IOException e) {
            log.warn("could not list the shared spool {}: {}", dir, e.toString());
        }
    }

    /**
     * A completed file another server wrote to a spool directory shared by a cluster's servers (see
     * docs/cluster.md), read from its sidecar when asked for; null when there is none. A single server's
     * spool knows all its files already, so there this only looks for a file that is not there.
     */
    private SpoolEntry adopt(String id) {
        Path meta = dir.resolve(id + META);
        if (!Files.exists(meta)) {
            return null;
        }
        try {
            SpoolEntry e = SpoolMetadata.read(meta);
            return e.complete && e.offer.id().equals(id) && Files.exists(dir.resolve(id + DATA)) ? e : null;
        } catch (IOException ex) {
            log.warn("ignoring unreadable spool metadata {}: {}", meta, ex.getMessage());
            return null;
        }
    }

    private void load() throws IOException {
        int uploads = 0;
        int files = 0;
        int unannounced = 0;
        try (DirectoryStream<Path> torn = Files.newDirectoryStream(dir, "*" + META + ".tmp")) {
            for (Path temp : torn) {
                Files.deleteIfExists(temp); // a sidecar write cut by a crash; the previous version stands
            }
        }
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*" + META)) {
            for (Path meta : metas) {
                SpoolEntry e;
                try {
                    e = SpoolMetadata.read(meta);
                } catch (IOException ex) {
                    log.warn("ignoring unreadable spool metadata {}: {}", meta, ex.getMessage());
                    continue;
                }
                String id = e.offer.id();
                Path part = dir.resolve(id + PART);
                Path data = dir.resolve(id + DATA);
                if (e.complete) {
                    if (!Files.exists(data) && Files.exists(part)) {
                        Files.move(part, data, StandardCopyOption.ATOMIC_MOVE);
                    }
                    if (!Files.exists(data)) {
                        log.warn("the bytes of completed file {} are missing from {}; forgetting it", id, dir);
                        Files.deleteIfExists(meta);
                        continue;
                    }
                    files++;
                    if (!e.isExpired(clock.instant()) && !e.announced) {
                        unannounced++;
                    }
                    files++;
                } else {
                    if (!Files.exists(part)) {
                        Files.createFile(part);
                    }
                    long length = Files.size(part);
                    if (length > e.offer.size()) {
                        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                            channel.truncate(e.offer.size());
                        }
                        length = e.offer.size();
                    }
                    e.received = length;
                    if (length == e.offer.size() && !e.isExpired(clock.instant()) && !e.checksumAtEnd) {
                        finishFull(e); // one offered without its checksum waits for the sender's SEAL
                    }
                    if (e.complete) {
                        unannounced++;
                        files++;
                    } else {
                        uploads++;
                    }
                }
                entries.put(id, e);
            }
        }
        int orphans = deleteOrphans();
        log.info("spool {}: {} files ({} not yet announced) and {} unfinished uploads{}", dir, files, unannounced,
                uploads, orphans == 0 ? "" : "; deleted " + orphans + " files without a sidecar");
    }

    /**
     * Deletes the {@code .part} and {@code .file} files that no sidecar describes, left by a crash while a file
     * was deleted or by an earlier version's failed OFFER; nothing could ever reach them.
     */
    private int deleteOrphans() throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*{" + PART + "," + DATA + "}")) {
            for (Path file : all) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.lastIndexOf('.'));
                if (!entries.containsKey(id) && !Files.exists(dir.resolve(id + META))) {
                    Files.deleteIfExists(file);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** After a restart: the digest of the bytes already received, read once from the partial file. */
    private static MessageDigest rehash(Path part, long length) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        try (InputStream in = Files.newInputStream(part)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new NoSuchFileException(part.toString(), null, "shorter than the " + length + " bytes received");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
        return digest;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
