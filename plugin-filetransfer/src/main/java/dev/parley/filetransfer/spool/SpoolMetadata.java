package dev.parley.filetransfer.spool;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;

/**
 * The sidecar {@code <id>.properties} that lets a restarted server know its files: the offer, the state,
 * and the recipients. Written to a temporary file and moved into place atomically, so it is never torn.
 */
final class SpoolMetadata {
    private static final String UPLOADING = "uploading";
    private static final String COMPLETE = "complete";

    private SpoolMetadata() {
    }

    static void write(Path file, SpoolEntry entry) throws IOException {
        FileOffer offer = entry.offer;
        Properties p = new Properties();
        p.setProperty("id", offer.id());
        p.setProperty("sender", offer.sender());
        p.setProperty("sender-name", offer.senderName());
        p.setProperty("name", offer.name());
        p.setProperty("size", Long.toString(offer.size()));
        p.setProperty("sha256", offer.sha256());
        if (entry.checksumAtEnd) {
            p.setProperty("checksum", "at-end");
        }
        p.setProperty("target", offer.target());
        p.setProperty("offered-at", offer.offeredAt().toString());
        p.setProperty("sender-owner", offer.senderOwner());
        p.setProperty("quota-key", offer.quotaKey());
        p.setProperty("target-owner", offer.targetOwner());
        p.setProperty("expires-at", entry.expiresAt.toString());
        p.setProperty("state", entry.complete ? COMPLETE : UPLOADING);
        if (entry.complete) {
            p.setProperty("completed-at", entry.completedAt.toString());
            p.setProperty("announced", Boolean.toString(entry.announced));
        }
        if (entry.complete || entry.recipientsKnown) {
            int i = 0;
            for (String recipient : entry.recipients) {
                p.setProperty("recipient." + i++, recipient);
            }
            p.setProperty("recipients", Integer.toString(i));
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            p.store(out, "parley filetransfer: one spooled file");
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads a sidecar back; the caller checks the data files. Throws on anything malformed. */
    static SpoolEntry read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IllegalArgumentException e) {
            // A malformed unicode escape: a broken sidecar like any other, not a reason to stop start-up.
            throw new IOException("malformed metadata in " + file + ": " + e.getMessage(), e);
        }
        try {
            FileOffer offer = new FileOffer(required(p, "id"), required(p, "sender"), required(p, "sender-name"),
                    required(p, "name"), Long.parseLong(required(p, "size")), required(p, "sha256"),
                    required(p, "target"), Instant.parse(required(p, "offered-at")),
                    // Sidecars from before owners were recorded: owned by no session, counted by nick.
                    p.getProperty("sender-owner", ""), p.getProperty("quota-key", "nick:" + p.getProperty("sender")),
                    p.getProperty("target-owner", ""));
            if (!FileIds.isWellFormed(offer.id())) {
                throw new IOException("malformed id " + offer.id());
            }
            SpoolEntry entry = new SpoolEntry(offer, Instant.parse(required(p, "expires-at")),
                    "at-end".equals(p.getProperty("checksum")));
            String state = required(p, "state");
            if (COMPLETE.equals(state)) {
                entry.complete = true;
                entry.completedAt = Instant.parse(required(p, "completed-at"));
                // Sidecars written before announcements were recorded: their files were announced then.
                entry.announced = !"false".equals(p.getProperty("announced"));
            } else if (!UPLOADING.equals(state)) {
                throw new IOException("unknown state " + state);
            }
            if (entry.complete || p.getProperty("recipients") != null) {
                int count = Integer.parseInt(required(p, "recipients"));
                if (count < 0 || count > p.size()) {
                    throw new IOException("recipients " + count + " is not a count of recipient keys");
                }
                Set<String> recipients = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    recipients.add(required(p, "recipient." + i));
                }
                entry.recipients = Set.copyOf(recipients);
                entry.recipientsKnown = true;
            }
            return entry;
        } catch (RuntimeException e) {
            throw new IOException("malformed metadata in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) throws IOException {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IOException("missing key '" + key + "'");
        }
        return value;
    }
}
