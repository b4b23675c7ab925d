package dev.parley.bench.report;

/**
 * The message text the load tool sends: {@code t=<send time in ns>;} padded with {@code x} to the message
 * size, so the receiver measures latency from the text alone. Send and receipt use the same process's
 * {@link System#nanoTime()}, so no clocks need to agree.
 */
public final class Stamp {
    /** Room for the prefix and 19 digits. */
    public static final int MIN_SIZE = 24;

    private Stamp() {
    }

    public static String text(long sentNanos, int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("message size must be at least " + MIN_SIZE + " bytes: " + size);
        }
        StringBuilder sb = new StringBuilder(size).append("t=").append(sentNanos).append(';');
        while (sb.length() < size) {
            sb.append('x');
        }
        return sb.toString();
    }

    /** The send time carried by a text, or -1 when the text carries none. */
    public static long sentNanos(CharSequence text) {
        return sentNanos(text, 0);
    }

    /** The send time carried by the text that starts at {@code at} of {@code line}, or -1 when it carries none. */
    public static long sentNanos(CharSequence line, int at) {
        int end = line.length();
        if (end - at < 2 || line.charAt(at) != 't' || line.charAt(at + 1) != '=') {
            return -1;
        }
        long value = 0;
        for (int i = at + 2; i < end; i++) {
            char c = line.charAt(i);
            if (c == ';') {
                return i > at + 2 ? value : -1;
            }
            if (c < '0' || c > '9' || i - at > 20) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return -1;
    }
}
