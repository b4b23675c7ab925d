package dev.parley.core.log;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Folds a run of like warnings into one log line per interval. While a server cannot reach its cluster, every
 * command it refuses would log a WARN line: one soak run's node logged 1,919 such lines in three minutes, and
 * hid the few lines that said what had happened. The first warning of a run is logged; after it, at most one
 * per interval, saying how many were folded into it; the rest belong at DEBUG.
 */
public final class RepeatedWarning {
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextAt;
    private final AtomicLong folded = new AtomicLong();

    public RepeatedWarning(Duration interval) {
        this(interval, System::nanoTime);
    }

    RepeatedWarning(Duration interval, LongSupplier clock) {
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.nextAt = new AtomicLong(clock.getAsLong());
    }

    /**
     * Called for each warning of the kind.
     *
     * @return -1 when this one is folded (log it at DEBUG), else how many were folded since the last one logged
     */
    public long next() {
        long now = clock.getAsLong();
        long due = nextAt.get();
        if (now - due >= 0 && nextAt.compareAndSet(due, now + intervalNanos)) {
            return folded.getAndSet(0);
        }
        folded.incrementAndGet();
        return -1;
    }

    /**
     * Logs one warning of the kind: at WARN, with {@code (and N more <what> ...)} appended, when it is due; else
     * at DEBUG.
     *
     * @param what what the folded ones are, e.g. "failed appends"
     */
    public void log(Logger log, String what, String format, Object... args) {
        long count = next();
        if (count >= 0) {
            Object[] withFolded = Arrays.copyOf(args, args.length + 1);
            withFolded[args.length] = folded(count, what);
            log.warn(format + "{}", withFolded);
        } else {
            log.debug(format, args);
        }
    }

    /** The words to append to a logged line: empty when nothing was folded into it. */
    public static String folded(long count, String what) {
        return count <= 0 ? "" : " (and " + count + " more " + what + " since the last such line, logged at DEBUG)";
    }
}
