package dev.parley.bench.report;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Send-to-receipt latencies of one reactor thread (not thread-safe), merged into one for the report. */
public final class Latency {
    /** Anything above a minute is off the chart anyway. */
    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(1);

    private final Histogram histogram = new Histogram(1, HIGHEST, 3);

    public void record(long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST)));
    }

    public void addTo(Latency total) {
        total.histogram.add(histogram);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The latency at a percentile (0-100), in microseconds. */
    public double micros(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMicros() {
        return histogram.getMaxValue() / 1000.0;
    }
}
