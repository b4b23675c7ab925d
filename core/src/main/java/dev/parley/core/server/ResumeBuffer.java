package dev.parley.core.server;

/**
 * The last events of one registered session, by sequence number, for replay after a resume. Holds the
 * encoded bytes shared with the other recipients (no copies). Sequence numbers are consecutive from 1, so
 * a ring of references is all it needs. Not thread-safe: the session guards it with its output lock.
 */
final class ResumeBuffer {
    private static final int INITIAL = 16;
    /** Until the first event: most sessions that retention covers sit idle, and 16 empty slots cost each 80 bytes. */
    private static final byte[][] NONE = new byte[0][];

    /** Receives one event to replay. */
    @FunctionalInterface
    interface Replay {
        void event(long seq, byte[] encoded);
    }

    private final int capacity;
    private byte[][] ring;
    private int head;
    private int size;
    private long last;

    ResumeBuffer(int capacity) {
        this.capacity = capacity;
        this.ring = NONE;
    }

    /** Keeps an event, dropping the oldest when full. @return its sequence number */
    long append(byte[] encoded) {
        if (size == ring.length && ring.length < capacity) {
            grow();
        }
        if (size == ring.length) {
            ring[head] = encoded;
            head = (head + 1) % ring.length;
        } else {
            ring[(head + size) % ring.length] = encoded;
            size++;
        }
        return ++last;
    }

    /** Numbers the first event {@code seq + 1}; only before any event was appended. */
    void startAfter(long seq) {
        if (last != 0 || size != 0) {
            throw new IllegalStateException("events were numbered already (last seq " + last + ")");
        }
        last = seq;
    }

    /** The sequence number of the newest event, 0 before the first. */
    long last() {
        return last;
    }

    /** True when every event after {@code seq} is still held (seq at most {@link #last()}). */
    boolean holdsAfter(long seq) {
        return seq >= last - size && seq <= last;
    }

    /** Hands every event after {@code seq} to the consumer, oldest first; requires {@link #holdsAfter}. */
    void replayAfter(long seq, Replay consumer) {
        long oldest = last - size + 1;
        for (long n = seq + 1; n <= last; n++) {
            consumer.event(n, ring[(int) ((head + (n - oldest)) % ring.length)]);
        }
    }

    private void grow() {
        byte[][] bigger = new byte[(int) Math.min(capacity, Math.max(INITIAL, 2L * ring.length))][];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }

    @Override
    public String toString() {
        return "ResumeBuffer[" + size + " of " + capacity + ", last seq " + last + "]";
    }
}
