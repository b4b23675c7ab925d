package dev.parley.launcher.client.files;

import dev.parley.client.files.FileOffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code parley receive} already delivered into a directory, so that a second run skips those files
 * rather than fetching them again as {@code name (1).ext}. Kept in the directory itself, in
 * {@value #FILE_NAME}: one line per delivered file, {@code <file-id> <sha256> <size> <saved name>}.
 *
 * <p>A file counts as delivered when its offer (the server's id, size and the SHA-256 the download verified,
 * or {@code -} for one fetched from an {@code OFFERED} without it) is recorded and the saved file is still there with that size; a file deleted or
 * truncated since is fetched again. A line that does not parse is ignored, so a damaged ledger costs a
 * download, never a refusal.
 */
final class ReceivedFiles {
    static final String FILE_NAME = ".parley-received";

    private final Path dir;
    private final Path ledger;
    /** By {@code <file-id> <size>}: the SHA-256 recorded (lower case, or {@code -}) and the saved name. */
    private final Map<String, Saved> delivered = new HashMap<>();

    private record Saved(String sha256, String name) {
    }

    private ReceivedFiles(Path dir) {
        this.dir = dir;
        this.ledger = dir.resolve(FILE_NAME);
    }

    /** The ledger of {@code dir}; empty when the directory has none yet. */
    static ReceivedFiles in(Path dir) throws IOException {
        ReceivedFiles files = new ReceivedFiles(dir);
        try {
            for (String line : Files.readAllLines(files.ledger, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ", 4);
                if (fields.length == 4 && !fields[3].isEmpty()) {
                    files.delivered.put(key(fields[0], fields[2]), new Saved(fields[1].toLowerCase(Locale.ROOT), fields[3]));
                }
            }
        } catch (NoSuchFileException none) {
            // nothing received here yet
        }
        return files;
    }

    /** Where this offer was saved by an earlier run, if it still is there whole. */
    Optional<Path> already(FileOffer offer) {
        Saved entry = delivered.get(key(offer.id(), Long.toString(offer.size())));
        if (entry == null || !sameChecksum(entry.sha256(), offer.sha256().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        Path saved = dir.resolve(entry.name());
        try {
            return Files.isRegularFile(saved) && Files.size(saved) == offer.size() ? Optional.of(saved) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records a verified download, after its rename: a run stopped before this fetches the file again. */
    void record(FileOffer offer, Path saved) throws IOException {
        String name = saved.getFileName().toString();
        Files.writeString(ledger, offer.id() + " " + offer.sha256() + " " + offer.size() + " " + name + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        delivered.put(key(offer.id(), Long.toString(offer.size())), new Saved(offer.sha256().toLowerCase(Locale.ROOT), name));
    }

    private static String key(String id, String size) {
        return id + " " + size;
    }

    /**
     * The checksums agree, or one of them is {@code -}: an {@code OFFERED} of an upload whose checksum comes at
     * its end does not carry it, and the server's id (128 random bits, never reused) names the file then.
     */
    private static boolean sameChecksum(String recorded, String offered) {
        return recorded.equals(offered) || recorded.equals("-") || offered.equals("-");
    }
}
