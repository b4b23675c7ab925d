package dev.parley.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for answers on a link that may be between connections: a timeout counts only the time the link
 * was connected, since a server that is restarting is not a server that is slow to answer.
 */
public final class Answers {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Answers() {
    }

    /** The reply, waiting up to {@code timeout} of connected time. */
    public static Reply await(ParleyLink link, CompletableFuture<Reply> reply, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        long waited = 0;
        while (true) {
            long start = System.nanoTime();
            try {
                return reply.get(SLICE_NANOS, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (!link.isReconnecting()) {
                    waited += System.nanoTime() - start;
                }
                if (waited >= timeout.toNanos()) {
                    throw e;
                }
            }
        }
    }

    /** {@link Semaphore#tryAcquire(int, long, TimeUnit)}, counting only connected time. */
    public static boolean acquire(ParleyLink link, Semaphore semaphore, int permits, Duration timeout)
            throws InterruptedException {
        long waited = 0;
        while (true) {
            long start = System.nanoTime();
            if (semaphore.tryAcquire(permits, SLICE_NANOS, TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (!link.isReconnecting()) {
                waited += System.nanoTime() - start;
            }
            if (waited >= timeout.toNanos()) {
                return false;
            }
        }
    }
}
