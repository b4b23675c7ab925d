package dev.parley.transport.mina;

/**
 * Arrays for {@link MinaConnection}'s write batches, kept per thread for reuse once MINA has written them.
 *
 * <p>Gathering frames into one array per batch made the batch arrays the largest share of the server's
 * allocation during fan-out. A batch is gathered on a worker (at a flush) or on the I/O thread that completed
 * the previous write, and its array comes back on the thread that wrote it into the socket: the same thread
 * when the socket took it all, else the I/O thread that completes it. So a pool per thread needs no locking,
 * and what one connection gives back the next connection served by the same thread takes. Arrays are powers
 * of two from {@value #SMALLEST} bytes up to {@link MinaConnection#MAX_BATCH_BYTES}, at most
 * {@value #KEEP_PER_SIZE} kept per size and thread (about 1 MiB per thread at most); connections themselves
 * hold none while idle.
 */
final class BatchArrays {
    static final int SMALLEST = 1024;
    private static final int SMALLEST_SHIFT = Integer.numberOfTrailingZeros(SMALLEST);
    private static final int SIZES = Integer.numberOfTrailingZeros(MinaConnection.MAX_BATCH_BYTES) - SMALLEST_SHIFT + 1;
    static final int KEEP_PER_SIZE = 4;

    private static final ThreadLocal<BatchArrays> PER_THREAD = ThreadLocal.withInitial(BatchArrays::new);

    private final byte[][][] kept = new byte[SIZES][KEEP_PER_SIZE][];
    private final int[] keptCount = new int[SIZES];

    private BatchArrays() {
    }

    /** An array of at least {@code bytes}, kept from an earlier batch of this thread when there is one. */
    static byte[] take(int bytes) {
        int size = sizeIndex(bytes);
        if (size >= SIZES) {
            return new byte[bytes]; // larger than any batch MinaConnection gathers: only with a test's cap
        }
        BatchArrays mine = PER_THREAD.get();
        int n = mine.keptCount[size];
        if (n == 0) {
            return new byte[SMALLEST << size];
        }
        byte[] array = mine.kept[size][n - 1];
        mine.kept[size][n - 1] = null;
        mine.keptCount[size] = n - 1;
        return array;
    }

    /** Gives back an array from {@link #take} that MINA has finished writing; nobody may use it after this. */
    static void give(byte[] array) {
        int size = sizeIndex(array.length);
        if (size >= SIZES || (SMALLEST << size) != array.length) {
            return;
        }
        BatchArrays mine = PER_THREAD.get();
        int n = mine.keptCount[size];
        if (n < KEEP_PER_SIZE) {
            mine.kept[size][n] = array;
            mine.keptCount[size] = n + 1;
        }
    }

    /** Arrays of {@code bytes}' size this thread keeps; for tests. */
    static int kept(int bytes) {
        return PER_THREAD.get().keptCount[sizeIndex(bytes)];
    }

    private static int sizeIndex(int bytes) {
        if (bytes <= SMALLEST) {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros(bytes - 1) - SMALLEST_SHIFT;
    }
}
