package dev.parley.bench.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Parley's slow-consumer counter, from its metrics endpoint ({@code /metrics}, Prometheus text): polled every
 * 100 ms, it tells when the server decided to cut connections off, which the socket shows only after the
 * server's close grace. Loopback addresses only, as everything the load tool drives.
 */
final class ServerMetrics implements AutoCloseable {
    static final String CUTOFFS = "parley_slow_consumer_cutoffs_total";

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final long startNanos;
    private final Thread thread;
    private final double[] byCause = new double[2]; // unread_output, memory_budget, as first read
    private final List<Double> increments = new ArrayList<>();
    private volatile boolean running = true;
    private double baseline = Double.NaN;
    private double last;
    private double unreadOutput;
    private double memoryBudget;

    /** @param url the server's metrics URL, e.g. {@code http://127.0.0.1:7879/metrics} */
    ServerMetrics(String url, long startNanos) throws IOException {
        this.uri = URI.create(url);
        String host = uri.getHost();
        if (host == null || !java.net.InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("the metrics URL must be on loopback: " + url);
        }
        this.startNanos = startNanos;
        poll(); // fails now, before the load, when nothing answers there
        byCause[0] = unreadOutput;
        byCause[1] = memoryBudget;
        thread = new Thread(this::loop, "bench-metrics");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(100);
                poll();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // the server may be going away (SIGTERM): the figures so far stand
            }
        }
    }

    private void poll() throws IOException {
        String body;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("metrics: HTTP " + response.statusCode() + " from " + uri);
            }
            body = response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        double unread = 0;
        double budget = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(CUTOFFS + "{")) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.contains("memory_budget")) {
                    budget += v;
                } else {
                    unread += v;
                }
            }
        }
        long now = System.nanoTime();
        synchronized (this) {
            unreadOutput = unread;
            memoryBudget = budget;
            double total = unread + budget;
            if (Double.isNaN(baseline)) {
                baseline = total;
                last = total;
            }
            for (; last < total; last++) {
                increments.add((now - startNanos) / 1e9);
            }
        }
    }

    /** One more look now (e.g. at the end of the load), if the server still answers. */
    void refresh() {
        try {
            poll();
        } catch (IOException e) {
            // gone: the figures so far stand
        }
    }

    /** Seconds from the start at which each cut-off of this run was first seen. */
    synchronized List<Double> cutOffTimes() {
        return new ArrayList<>(increments);
    }

    /** Cut-offs of this run for their own unread output (max-pending-bytes, slow-consumer-timeout). */
    synchronized long unreadOutputCutOffs() {
        return (long) (unreadOutput - byCause[0]);
    }

    /** Cut-offs of this run by the server-wide budget (max-total-pending-bytes). */
    synchronized long memoryBudgetCutOffs() {
        return (long) (memoryBudget - byCause[1]);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(3000);
    }
}
