package dev.parley.core.protocol;

/**
 * Resumption's per-session tag in front of a shared event: {@code @seq=<n>;} before the event's own tags,
 * {@code @seq=<n> } before an event without any. It is made once per recipient of every event, so it is
 * written digit by digit (a String concatenation per recipient shows in the fan-out's profile), either into an array
 * of its own or straight into a transport's write batch.
 */
public final class SeqPrefix {
    private SeqPrefix() {
    }

    /** 10^0 to 10^18, every power of ten a long holds. */
    private static final long[] POWERS_OF_TEN = new long[19];
    /** "00", "01", ... "99": the digits of a number written two at a time. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Bytes of the prefix for {@code seq} (not negative). */
    public static int length(long seq) {
        return 6 + digits(seq);
    }

    /**
     * Decimal digits of a value that is not negative, without a loop: the bit length gives the count of digits
     * (times log10 2, as 1233 / 4096) to within one, and one comparison settles it. Called two or three times per
     * recipient of every event, where a loop of divisions shows in the fan-out's profile.
     */
    static int digits(long value) {
        long v = value | 1; // the same digits (powers of ten above 1 are even), and 0 counts as one digit
        int t = ((64 - Long.numberOfLeadingZeros(v)) * 1233) >>> 12;
        return v < POWERS_OF_TEN[t] ? t : t + 1;
    }

    /** Whether an encoded event starts with its own tags: the prefix then joins them and the body's {@code @} is skipped. */
    public static boolean tagged(byte[] encoded) {
        return encoded.length > 0 && encoded[0] == '@';
    }

    /** Writes the prefix for {@code seq} at {@code at}; returns the index after it. */
    public static int write(long seq, boolean beforeTags, byte[] into, int at) {
        int end = at + length(seq);
        into[at] = '@';
        into[at + 1] = 's';
        into[at + 2] = 'e';
        into[at + 3] = 'q';
        into[at + 4] = '=';
        into[end - 1] = (byte) (beforeTags ? ';' : ' ');
        // Digits from the last, two at a time.
        long v = seq;
        int i = end - 2;
        while (v >= 100) {
            int pair = (int) (v % 100);
            v /= 100;
            into[i] = DIGIT_PAIRS[2 * pair + 1];
            into[i - 1] = DIGIT_PAIRS[2 * pair];
            i -= 2;
        }
        if (v >= 10) {
            into[i] = DIGIT_PAIRS[2 * (int) v + 1];
            into[i - 1] = DIGIT_PAIRS[2 * (int) v];
        } else {
            into[i] = (byte) ('0' + v);
        }
        return end;
    }

    /** The prefix for {@code seq} in an array of its own. */
    public static byte[] of(long seq, boolean beforeTags) {
        byte[] prefix = new byte[length(seq)];
        write(seq, beforeTags, prefix, 0);
        return prefix;
    }
}
