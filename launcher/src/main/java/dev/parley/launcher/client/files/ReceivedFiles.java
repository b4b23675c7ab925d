package dev.parley.launcher.client.files;

import dev.parley.client.files.FileOffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code parley receive} already delivered into a directory, so that a second run skips those files
 * rather than fetching them again as {@code name (1).ext}. Kept in the directory itself, in
 * {@value #FILE_NAME}: one line per delivered file, {@code <file-id> <sha256> <size> <saved name>}.
 *
 * <p>A file counts as delivered when its offer (the server's id and size; the download verified its SHA-256)
 * is recorded and the saved file is still there with that size; a file deleted or
 * truncated since is fetched again. A line that does not parse is ignored, so a damaged ledger costs a
 * download, never a refusal.
 */
final class ReceivedFiles {
    static final String FILE_NAME = ".parley-received";

    private final Path dir;
    private final Path ledger;
    private final Map<String, String> savedNames = new HashMap<>();

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
                    files.savedNames.put(key(fields[0], fields[2]), fields[3]);
                }
            }
        } catch (NoSuchFileException none) {
            // nothing received here yet
        }
        return files;
    }

    /** Where this offer was saved by an earlier run, if it still is there whole. */
    Optional<Path> already(FileOffer offer) {
        String name = savedNames.get(key(offer.id(), Long.toString(offer.size())));
        if (name == null) {
            return Optional.empty();
        }
        Path saved = dir.resolve(name);
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
        savedNames.put(key(offer.id(), Long.toString(offer.size())), name);
    }

    /**
     * By the server's id (128 random bits, never reused) and size: the SHA-256 is recorded but not part of
     * the key, since an {@code OFFERED} of an upload whose checksum comes at its end does not carry it yet.
     */
    private static String key(String id, String size) {
        return id + " " + size;
    }
}
