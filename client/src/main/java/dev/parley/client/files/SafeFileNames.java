package dev.parley.client.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * File names from the network made safe to create in a directory we chose: one plain name, never a path,
 * and never one that replaces an existing file.
 */
public final class SafeFileNames {
    private static final int MAX_LENGTH = 200;
    private static final Set<String> WINDOWS_DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private SafeFileNames() {
    }

    /**
     * The last path element, without control, separator or reserved characters (each becomes {@code _}),
     * leading dots or surrounding blanks, at most 200 characters; {@code file} if nothing is left.
     */
    public static String sanitize(String name) {
        String last = name == null ? "" : name;
        last = last.substring(Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\')) + 1);
        StringBuilder sb = new StringBuilder(last.length());
        last.codePoints().forEach(c -> sb.appendCodePoint(
                Character.isISOControl(c) || "<>:\"|?*".indexOf(c) >= 0 || Character.getType(c) == Character.FORMAT
                        ? '_' : c));
        String clean = sb.toString().strip();
        while (clean.startsWith(".")) {
            clean = clean.substring(1).strip();
        }
        if (clean.length() > MAX_LENGTH) {
            int dot = clean.lastIndexOf('.');
            String extension = dot > 0 && clean.length() - dot <= 16 ? clean.substring(dot) : "";
            clean = clean.substring(0, MAX_LENGTH - extension.length()) + extension;
        }
        String stem = clean.contains(".") ? clean.substring(0, clean.indexOf('.')) : clean;
        if (WINDOWS_DEVICES.contains(stem.toUpperCase(Locale.ROOT))) {
            clean = "_" + clean;
        }
        return clean.isEmpty() ? "file" : clean;
    }

    /** {@code name}, else {@code name (1).ext}, {@code name (2).ext}, ...: the first that is free in dir. */
    public static Path candidate(Path dir, String name, int attempt) {
        if (attempt == 0) {
            return dir.resolve(name);
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return dir.resolve(stem + " (" + attempt + ")" + extension);
    }

    /**
     * Gives a finished temporary file its final name in dir without ever replacing a file: a hard link fails
     * atomically when the name exists (a plain move would silently replace it on POSIX).
     *
     * @return where the file now is
     */
    public static Path publish(Path temp, Path dir, String name) throws IOException {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            Path target = candidate(dir, name, attempt);
            try {
                Files.createLink(target, temp);
                Files.delete(temp);
                return target;
            } catch (FileAlreadyExistsException e) {
                // taken: next candidate
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                // No hard links here (some file systems): a move that refuses to replace.
                try {
                    return Files.move(temp, target);
                } catch (FileAlreadyExistsException taken) {
                    // taken meanwhile: next candidate
                }
            }
        }
        throw new IOException("no free name for " + name + " in " + dir);
    }
}
