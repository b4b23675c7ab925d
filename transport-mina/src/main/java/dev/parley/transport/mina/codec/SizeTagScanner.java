package dev.parley.transport.mina.codec;

import java.nio.charset.StandardCharsets;

/**
 * Finds the {@code size} tag of a line that failed to decode, so that the payload the client sends after it
 * can be skipped instead of being read as lines. Looks only at the tag section ({@code @...} up to the first
 * space) and trusts nothing else in the line; works on raw bytes, since the line may not be valid UTF-8.
 */
final class SizeTagScanner {
    /** More digits than this is not a size (the same rule as {@code FrameParser.payloadSize}). */
    private static final int MAX_DIGITS = 18;

    private SizeTagScanner() {
    }

    /** @return the first size tag's value, or -1 when the line has none that is a whole number */
    static long scan(byte[] line, int length) {
        return scan(line, 0, length);
    }

    /** The same for the line at {@code line[from..from + length)}. */
    static long scan(byte[] line, int from, int length) {
        int limit = from + length;
        int pos = from;
        while (pos < limit && line[pos] == ' ') {
            pos++;
        }
        if (pos == limit || line[pos] != '@') {
            return -1;
        }
        int end = pos + 1;
        while (end < limit && line[end] != ' ') {
            end++;
        }
        int tag = pos + 1;
        while (tag < end) {
            int tagEnd = tag;
            while (tagEnd < end && line[tagEnd] != ';') {
                tagEnd++;
            }
            if (isSizeKey(line, tag, tagEnd)) {
                return digits(line, tag + 5, tagEnd);
            }
            tag = tagEnd + 1;
        }
        return -1;
    }

    static long scan(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return scan(bytes, bytes.length);
    }

    private static boolean isSizeKey(byte[] line, int from, int to) {
        return to - from >= 5 && line[from] == 's' && line[from + 1] == 'i' && line[from + 2] == 'z'
                && line[from + 3] == 'e' && line[from + 4] == '=';
    }

    private static long digits(byte[] line, int from, int to) {
        if (from == to || to - from > MAX_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte b = line[i];
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
