package dev.parley.launcher.client.files;

import dev.parley.client.files.Progress;
import dev.parley.launcher.client.display.ByteSizes;
import dev.parley.launcher.client.display.SafeText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One line on a terminal, redrawn at most five times a second:
 * {@code holiday.jpg [#########.........] 45%  1.3 MiB/2.9 MiB  12.0 MiB/s  ETA 0:01}.
 * Written here rather than taken from a library: twenty lines, and no second copy of JLine on the module path.
 */
public final class ProgressBar implements Progress {
    private static final long REDRAW_NANOS = Duration.ofMillis(200).toNanos();
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final LongSupplier nanoTime;
    private String name;
    private long total;
    private long done;
    private long startDone;
    private long started;
    private long drawn = Long.MIN_VALUE;

    public ProgressBar(PrintWriter out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void start(String name, long total, long done) {
        this.name = SafeText.escape(name);
        this.total = total;
        this.done = done;
        this.startDone = done;
        this.started = nanoTime.getAsLong();
        draw(true);
    }

    @Override
    public synchronized void advance(long bytes) {
        done += bytes;
        draw(false);
    }

    @Override
    public synchronized void finish() {
        draw(true);
        out.println();
        out.flush();
    }

    private void draw(boolean force) {
        long now = nanoTime.getAsLong();
        if (!force && now - drawn < REDRAW_NANOS) {
            return;
        }
        drawn = now;
        out.print("\r" + line(now) + "\u001b[K");
        out.flush();
    }

    /** The bar's text at a moment; without the carriage return and erase, for tests. */
    synchronized String line(long now) {
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? (done - startDone) / seconds : 0;
        String eta = rate > 0 ? clock((long) ((total - done) / rate)) : "-:--";
        return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s/%s  %s/s  ETA %s", name, "#".repeat(filled),
                ".".repeat(WIDTH - filled), Math.round(fraction * 100), ByteSizes.format(done),
                ByteSizes.format(total), ByteSizes.format((long) rate), eta);
    }

    private static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                seconds % 60) : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
