package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.store.MemoryMessageStore;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The series other parts keep (flow control in core, the store, the TCP transport), scraped from /metrics. */
@DisplayName("/metrics exports")
class FlowStoreTransportMetricsTest {
    private static final String TEXT = "x".repeat(1000);
    private final HttpClient http = HttpClient.newHttpClient();

    private String metrics(WebTestServer server) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.url.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of the one series matching the pattern (name and labels, regex-quoted by the caller). */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.Ee+-]+)$").matcher(metrics);
        assertThat(m.find()).as(series + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("producer stalls, their time and slow-consumer cut-offs, as core's flow control counted them")
    void flowControl() throws Exception {
        try (WebTestServer server = WebTestServer.start(Map.of(
                "parley.limits.flow-high-water", "64 KiB", "parley.limits.flow-low-water", "16 KiB",
                "parley.limits.slow-consumer-timeout", "1s", "parley.limits.flood-disconnect-after", 0),
                ParleyTestKit.findPlugin("chat"));
             LineClient sender = server.tcp.connect();
             Socket member = new Socket()) {
            String before = metrics(server);
            assertThat(value(before, "parley_producer_stalls_total")).isZero();
            assertThat(value(before, "parley_slow_consumer_cutoffs_total\\{cause=\"unread_output\"}")).isZero();

            sender.command("NICK sender");
            sender.command("JOIN #flow");
            member.setReceiveBufferSize(4096);
            member.connect(server.tcp.address(), 5000);
            OutputStream out = member.getOutputStream();
            out.write("NICK member\nJOIN #flow\n".getBytes(StandardCharsets.US_ASCII)); // and never reads again
            out.flush();
            String joined;
            do {
                joined = sender.event();
            } while (!joined.contains("member"));

            // 3 MB of events, more than the member's socket buffers take: it is cut off by slow-consumer-timeout.
            int n = 3000;
            StringBuilder says = new StringBuilder();
            for (int i = 0; i < n; i++) {
                says.append("SAY #flow :").append(i).append(' ').append(TEXT).append('\n');
            }
            sender.sendBytes(says.toString().getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.tcp.core().totals().slowConsumerCutOffs() == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polls core's count, up to the deadline
            }
            var totals = server.tcp.core().totals();
            assertThat(totals.slowConsumerCutOffs()).as("cut-offs; the sender got " + sender.pending().stream()
                    .filter(l -> !l.startsWith("OK SAY")).limit(5).toList()).isEqualTo(1);
            assertThat(totals.stalls()).as("stalls").isPositive();

            String after = metrics(server);
            assertThat(value(after, "parley_producer_stalls_total")).isEqualTo(server.tcp.core().totals().stalls());
            assertThat(value(after, "parley_producer_stall_seconds_total")).isPositive();
            assertThat(value(after, "parley_slow_consumer_cutoffs_total\\{cause=\"unread_output\"}")).isEqualTo(1);
            assertThat(value(after, "parley_slow_consumer_cutoffs_total\\{cause=\"memory_budget\"}")).isZero();
            assertThat(after).containsPattern("(?m)^parley_session_pauses_total ");
        }
    }

    @Test
    @DisplayName("store latency by operation: appends until committed, history pages")
    void storeLatency() throws Exception {
        try (WebTestServer server = WebTestServer.start(Map.of(), Optional.of(new MemoryMessageStore(1000)),
                ParleyTestKit.findPlugin("chat"));
             LineClient alice = server.tcp.connect()) {
            assertThat(value(metrics(server), "parley_store_operation_seconds_count\\{operation=\"append\"}"))
                    .isZero();
            alice.command("NICK alice");
            alice.command("JOIN #kept");
            for (int i = 0; i < 3; i++) {
                assertThat(alice.command("SAY #kept :message " + i).toString()).contains("OK SAY");
            }
            assertThat(alice.command("HISTORY #kept 10").toString()).contains("OK HISTORY #kept 3");

            String metrics = metrics(server);
            assertThat(value(metrics, "parley_store_operation_seconds_count\\{operation=\"append\"}")).isEqualTo(3);
            assertThat(value(metrics, "parley_store_operation_seconds_sum\\{operation=\"append\"}")).isPositive();
            assertThat(value(metrics, "parley_store_operation_seconds_count\\{operation=\"page\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "parley_store_operation_seconds_max\\{operation=\"page\"}")).isPositive();
        }
    }

    @Test
    @DisplayName("chat messages out: MSG and WHISPER events delivered, one per recipient")
    void messagesSent() throws Exception {
        try (WebTestServer server = WebTestServer.start(Map.of(), ParleyTestKit.findPlugin("chat"));
             LineClient alice = server.tcp.connect();
             LineClient bob = server.tcp.connect();
             LineClient carol = server.tcp.connect()) {
            for (LineClient c : List.of(alice, bob, carol)) {
                c.command("NICK " + (c == alice ? "alice" : c == bob ? "bob" : "carol"));
                c.command("JOIN #out");
            }
            assertThat(alice.command("SAY #out :to both").toString()).contains("OK SAY");
            assertThat(alice.command("TELL bob :to bob").toString()).contains("OK TELL");
            awaitEvent(bob, "WHISPER alice :to bob");
            awaitEvent(carol, "MSG #out alice :to both");
            // Counted right after the fan-out handed the events over, so the count may trail the clients.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String metrics;
            do {
                metrics = metrics(server);
            } while (value(metrics, "parley_messages_sent_total\\{verb=\"MSG\"}") < 2 && System.nanoTime() < deadline);
            assertThat(value(metrics, "parley_messages_sent_total\\{verb=\"MSG\"}")).isEqualTo(2);
            assertThat(value(metrics, "parley_messages_sent_total\\{verb=\"WHISPER\"}")).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("TCP bytes sent, the transport's direct socket writes included, as many as the client read")
    void tcpBytesSent() throws Exception {
        try (WebTestServer server = WebTestServer.start(Map.of(), ParleyTestKit.findPlugin("chat"));
             Socket client = new Socket()) {
            client.connect(server.tcp.address(), 5000);
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            long read = readLine(in); // HELLO
            out.write("NICK bytes\nJOIN #b\nSAY #b :counted\nNOPE\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String last;
            StringBuilder line = new StringBuilder();
            do {
                line.setLength(0);
                read += readLine(in, line);
                last = line.toString();
            } while (!last.startsWith("ERR NOPE")); // an unknown verb: its answer comes with no event
            assertThat(read).isGreaterThan(50);
            // The count is added right after the socket took the bytes, so it may trail the client's read.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            double sent;
            do {
                sent = value(metrics(server), "parley_bytes_sent_total\\{transport=\"tcp\"}");
            } while (sent < read && System.nanoTime() < deadline);
            assertThat(sent).isEqualTo((double) read);
        }
    }

    private static void awaitEvent(LineClient client, String text) {
        String event;
        do {
            event = client.event();
        } while (!event.contains(text));
    }

    private static long readLine(InputStream in) throws Exception {
        return readLine(in, new StringBuilder());
    }

    /** Reads one line into {@code line} (without its newline); returns the bytes read, newline included. */
    private static long readLine(InputStream in, StringBuilder line) throws Exception {
        long n = 0;
        int b;
        while ((b = in.read()) != '\n') {
            assertThat(b).as("the stream before a newline").isNotNegative();
            line.append((char) b);
            n++;
        }
        return n + 1;
    }
}
