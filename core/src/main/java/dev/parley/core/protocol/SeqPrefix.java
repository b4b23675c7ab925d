package dev.parley.core.protocol;

/**
 * Resumption's per-session tag in front of a shared event: {@code @seq=<n>;} before the event's own tags,
 * {@code @seq=<n> } before an event without any. It is made once per recipient of every event, so it is
 * written digit by digit (a String concatenation here cost 13% of the fan-out's CPU), either into an array
 * of its own or straight into a transport's write batch.
 */
public final class SeqPrefix {
    private SeqPrefix() {
    }

    /** Bytes of the prefix for {@code seq} (at least 1). */
    public static int length(long seq) {
        int digits = 1;
        for (long v = seq; v >= 10; v /= 10) {
            digits++;
        }
        return 6 + digits;
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
        long v = seq;
        for (int i = end - 2; i >= at + 5; i--) {
            into[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        into[end - 1] = (byte) (beforeTags ? ';' : ' ');
        return end;
    }

    /** The prefix for {@code seq} in an array of its own. */
    public static byte[] of(long seq, boolean beforeTags) {
        byte[] prefix = new byte[length(seq)];
        write(seq, beforeTags, prefix, 0);
        return prefix;
    }
}
