package dev.parley.bench.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One received line, without its line end, as a view of the bytes it arrived in: the reactor hands the same
 * object to every line of a read, so reading a delivery copies and allocates nothing (a {@code String} per
 * line was the load tool's largest cost of its own). Valid only during the call it is passed to; copy it
 * with {@link #toString()} to keep it. Characters are bytes (ISO-8859-1): the scenarios' lines are ASCII.
 */
public final class Line implements CharSequence {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';

    private byte[] data;
    private int from;
    private int length;
    private long receivedNanos;

    Line() {
    }

    /** A line of its own over the text's bytes; for tests and for lines that do not come from a socket. */
    public static Line of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return new Line().set(bytes, 0, bytes.length, 0);
    }

    Line set(byte[] data, int from, int length, long receivedNanos) {
        this.data = data;
        this.from = from;
        this.length = length;
        this.receivedNanos = receivedNanos;
        return this;
    }

    /** {@link System#nanoTime()} when the read that brought this line's end returned. */
    public long receivedNanos() {
        return receivedNanos;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " of a line of " + length);
        }
        return (char) (data[from + index] & 0xff);
    }

    /** Whether {@code prefix} (ASCII) stands at {@code at}. */
    public boolean startsWith(String prefix, int at) {
        if (at < 0 || at + prefix.length() > length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[from + at + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public boolean startsWith(String prefix) {
        return startsWith(prefix, 0);
    }

    /** Whether the line is exactly {@code text} (ASCII). */
    public boolean is(String text) {
        return length == text.length() && startsWith(text, 0);
    }

    public int indexOf(char c) {
        return indexOf(c, 0);
    }

    /** Index of the first {@code c} at or after {@code at}, or -1. */
    public int indexOf(char c, int at) {
        for (int i = Math.max(0, at); i < length; i++) {
            if (data[from + i] == (byte) c) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first {@code text} (ASCII) at or after {@code at}, or -1. */
    public int indexOf(String text, int at) {
        for (int i = Math.max(0, at); i + text.length() <= length; i++) {
            if (startsWith(text, i)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(data, from, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Index of the first {@code '\n'} in {@code data[from, to)}, or -1: eight bytes at a time, since a delivery
     * line is some 100-200 bytes long and the scan for its end ran at every byte of everything received.
     */
    static int indexOfNewline(byte[] data, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(data, i) ^ NEWLINES;
            // A byte of x is zero where the data holds '\n'; this sets its high bit (and only below the first
            // zero byte can a borrow set another, so the lowest set bit is exact).
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
