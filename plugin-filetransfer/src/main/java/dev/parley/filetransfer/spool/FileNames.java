package dev.parley.filetransfer.spool;

import java.util.Optional;

/**
 * Client-given file names are display strings, never paths: this turns one into something safe to show.
 * The spool names its files after server-generated ids only.
 */
public final class FileNames {
    /** Longest accepted name, in characters, before and after sanitising. */
    public static final int MAX_LENGTH = 255;

    private FileNames() {
    }

    /**
     * The name as shown to recipients: the last segment after any {@code /} or {@code \}, without leading
     * dots or surrounding blanks, so {@code ../../etc/passwd} shows as {@code passwd}.
     *
     * @return empty when the name is empty, too long, holds control characters or nothing remains
     */
    public static Optional<String> sanitise(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f && c < 0xa0) {
                return Optional.empty();
            }
        }
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        String shown = name.substring(cut + 1).strip();
        int start = 0;
        while (start < shown.length() && shown.charAt(start) == '.') {
            start++;
        }
        shown = shown.substring(start).strip();
        return shown.isEmpty() ? Optional.empty() : Optional.of(shown);
    }
}
