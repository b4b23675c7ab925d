package dev.parley.transport.mina;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.session.IoSession;

/**
 * The deadlines of closing sessions (a flush that must end, a linger for the peer's close), on one daemon
 * thread for every session of every server and client in the JVM.
 *
 * <p>Why not {@code CompletableFuture.delayedExecutor}: without an executor of its own it hands each due task
 * to the common pool, and where that pool has fewer than two threads (any machine with two cores or fewer)
 * to a new thread per task, so a burst of closes became a burst of thread starts. Why not a server's own
 * timer: the client closes too, and a server being closed shuts its timer down while it still closes
 * sessions. The tasks only call {@code closeNow}, which hands the close to the session's I/O thread.
 *
 * <p>A deadline is cancelled, and removed from the queue, as soon as its session closes, so the queue holds
 * only sessions still closing: it is bounded by the connections open.
 */
final class CloseTimer {
    private static final ScheduledThreadPoolExecutor TIMER = start();

    private CloseTimer() {}

    private static ScheduledThreadPoolExecutor start() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("parley-close-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * Runs {@code deadline} after {@code delay} unless {@code session} has closed by then.
     *
     * @param deadline what to do to a session still open, e.g. {@code closeNow}
     */
    static void unlessClosed(IoSession session, Duration delay, Runnable deadline) {
        ScheduledFuture<?> due = TIMER.schedule(() -> {
            if (session.isConnected()) {
                deadline.run();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        session.getCloseFuture().addListener(closed -> due.cancel(false));
    }

    /** Deadlines waiting (a test's view: each goes as its session closes). */
    static int pending() {
        return TIMER.getQueue().size();
    }
}
