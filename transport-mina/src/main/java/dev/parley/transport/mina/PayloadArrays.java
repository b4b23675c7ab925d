package dev.parley.transport.mina;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Payload arrays of a client JVM's connections, handed back by whoever consumed a frame's payload, so that a
 * download of 4,096 chunks of 256 KiB reuses a few arrays that stay in the caches instead of allocating (and
 * zeroing) 1 GiB for the decoder to fill and the hashing thread to read cold. Only arrays of
 * {@value #LEAST_BYTES} bytes or more are kept, at most {@value #KEEP} of them; an array of another length than
 * asked for is dropped. Thread-safe.
 *
 * <p>Give an array back only when nothing reads or writes it any more: the decoder fills a taken array again
 * while the frame that carried it may still be referenced.
 */
public final class PayloadArrays {
    /** Smaller payloads (lines of chat) are not worth keeping. */
    static final int LEAST_BYTES = 64 * 1024;
    /** Enough for a FETCH's window in flight between the decoder, the writer and the hashing thread. */
    static final int KEEP = 8;

    private static final ConcurrentLinkedQueue<byte[]> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger KEPT = new AtomicInteger();

    private PayloadArrays() {
    }

    /** An array of exactly {@code length} bytes, its content undefined (a decoder fills every byte). */
    public static byte[] take(int length) {
        if (length >= LEAST_BYTES) {
            byte[] kept = FREE.poll();
            if (kept != null) {
                KEPT.decrementAndGet();
                if (kept.length == length) {
                    return kept;
                }
            }
        }
        return new byte[length];
    }

    /** Keeps {@code array} for a later {@link #take}; the caller must not touch it afterwards. */
    public static void give(byte[] array) {
        if (array.length >= LEAST_BYTES && KEPT.incrementAndGet() <= KEEP) {
            FREE.offer(array);
        } else if (array.length >= LEAST_BYTES) {
            KEPT.decrementAndGet();
        }
    }
}
