package dev.parley.launcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.plugins.PluginCatalog;
import dev.parley.launcher.server.ParleyServer;
import dev.parley.launcher.server.ServerAssembly;
import dev.parley.testkit.RoomReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producer flow control with the SQLite store, over real sockets (docs/protocol.md, "Flow control"): a durable
 * {@code SAY} is fanned out by the store's writer after its commit, not by the sender's command, and its sender
 * must still wait for a member above the high-water mark.
 */
@DisplayName("flow control with the SQLite store")
@Timeout(180)
class DurableFlowControlTest {
    private static final String TEXT = "d".repeat(1000);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    @DisplayName("a publisher pipelining into a room with a slow and a full-speed reader is slowed; both get everything")
    void publisherIsSlowedForTheSlowReader() throws Exception {
        ParleyServer server = start();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", serverPort);
        int n = 4000; // 4 MB, four times max-pending-bytes

        RoomReader slow = RoomReader.join(address, "#lobby", "slow", 4096, 5); // about 800 KB/s
        RoomReader fast = RoomReader.join(address, "#lobby", "fast", 0, 0);
        RoomReader publisher = RoomReader.join(address, "#lobby", "pub", 0, 0);
        open.add(slow);
        open.add(fast);
        open.add(publisher);
        CompletableFuture<Integer> slowGot = slow.countMessages(List.of("pub"), n, TEXT);
        CompletableFuture<Integer> fastGot = fast.countMessages(List.of("pub"), n, TEXT);
        CompletableFuture<Integer> oks = publisher.countLines("OK SAY #lobby", n);

        long start = System.nanoTime();
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> publisher.sayNumbered(n, TEXT));
        assertThat(oks.get(120, TimeUnit.SECONDS)).as("SAYs answered OK").isEqualTo(n);
        sent.get(10, TimeUnit.SECONDS);
        assertThat(fastGot.get(60, TimeUnit.SECONDS)).as("messages the full-speed reader received").isEqualTo(n);
        assertThat(slowGot.get(60, TimeUnit.SECONDS)).as("messages the slow reader received").isEqualTo(n);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        String metrics = get(server.webUrl().orElseThrow().resolve("/metrics"));
        assertThat(counter(metrics, "parley_producer_stalls_total")).as("commands that waited").isPositive();
        assertThat(counter(metrics, "parley_slow_consumer_cutoffs_total{cause=\"unread_output\"}")).isZero();
        assertThat(counter(metrics, "parley_slow_consumer_cutoffs_total{cause=\"memory_budget\"}")).isZero();
        // 4 MB at about 800 KB/s: the publisher went at the slow reader's pace, not the store's.
        assertThat(millis).as("time until every message was delivered, ms").isGreaterThan(2000);
    }

    @Test
    @DisplayName("four publishers pipelining into a room: a member reading at about 800 KB/s behind a 4 KiB window is never cut off")
    void slowReaderThatKeepsReadingIsNeverCutOff() throws Exception {
        // max-pending-bytes of 512 KiB: less than what four publishers' SAYs in the store's hands would add at once
        ParleyServer server = start("10s", 512 * 1024);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", serverPort);
        int n = 1500; // per publisher: 6 MB in all
        List<String> nicks = List.of("p1", "p2", "p3", "p4");

        RoomReader slow = RoomReader.join(address, "#lobby", "slow", 4096, 5);
        open.add(slow);
        List<RoomReader> publishers = new ArrayList<>();
        for (String nick : nicks) {
            RoomReader p = RoomReader.join(address, "#lobby", nick, 0, 0);
            open.add(p);
            publishers.add(p);
        }
        CompletableFuture<Integer> slowGot = slow.countMessages(nicks, n, TEXT);
        List<CompletableFuture<Integer>> oks = new ArrayList<>();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (RoomReader p : publishers) {
            oks.add(p.countLines("OK SAY #lobby", n));
        }
        for (RoomReader p : publishers) {
            sent.add(CompletableFuture.runAsync(() -> p.sayNumbered(n, TEXT)));
        }

        for (int i = 0; i < publishers.size(); i++) {
            assertThat(oks.get(i).get(120, TimeUnit.SECONDS)).isEqualTo(n);
            sent.get(i).get(10, TimeUnit.SECONDS);
        }
        assertThat(slowGot.get(60, TimeUnit.SECONDS)).as("messages the slow reader received").isEqualTo(nicks.size() * n);

        String metrics = get(server.webUrl().orElseThrow().resolve("/metrics"));
        assertThat(counter(metrics, "parley_producer_stalls_total")).as("commands that waited").isPositive();
        assertThat(counter(metrics, "parley_slow_consumer_cutoffs_total{cause=\"unread_output\"}")).isZero();
    }

    @Test
    @DisplayName("a member that stops reading is cut off within slow-consumer-timeout; the room goes on and its reader gets everything")
    void stoppedReaderIsCutOffAndTheRoomGoesOn() throws Exception {
        ParleyServer server = start("2s");
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", serverPort);
        int n = 3000;

        RoomReader stopped = RoomReader.join(address, "#lobby", "stopped", 4096, 0); // joins, then never reads again
        RoomReader fast = RoomReader.join(address, "#lobby", "fast", 0, 0);
        RoomReader publisher = RoomReader.join(address, "#lobby", "pub", 0, 0);
        open.add(stopped);
        open.add(fast);
        open.add(publisher);
        CompletableFuture<Integer> fastGot = fast.countMessages(List.of("pub"), n, TEXT);
        CompletableFuture<Integer> oks = publisher.countLines("OK SAY #lobby", n);
        long start = System.nanoTime();
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> publisher.sayNumbered(n, TEXT));

        assertThat(oks.get(60, TimeUnit.SECONDS)).isEqualTo(n);
        sent.get(10, TimeUnit.SECONDS);
        assertThat(fastGot.get(30, TimeUnit.SECONDS)).as("messages the full-speed reader received").isEqualTo(n);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double cutOffs = 0;
        while (cutOffs == 0 && System.nanoTime() < deadline) {
            cutOffs = counter(get(server.webUrl().orElseThrow().resolve("/metrics")),
                    "parley_slow_consumer_cutoffs_total{cause=\"unread_output\"}");
            Thread.sleep(50);
        }
        assertThat(cutOffs).as("the stopped reader was cut off").isEqualTo(1.0);
        // Waited for by the publisher for at most about a second (then taken for stopped), never for the timeout's
        // whole length per command: 3 MB reach the full-speed reader in a few seconds, not minutes.
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds until the room was through")
                .isLessThan(20);
    }

    private int serverPort;

    private ParleyServer start() throws IOException {
        return start("10s");
    }

    private ParleyServer start(String slowConsumerTimeout) throws IOException {
        return start(slowConsumerTimeout, 1 << 20);
    }

    private ParleyServer start(String slowConsumerTimeout, int maxPendingBytes) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("parley.server.port", "0");
        properties.setProperty("parley.server.host", "127.0.0.1");
        properties.setProperty("parley.http.port", "0");
        properties.setProperty("parley.plugins", "[chat]");
        properties.setProperty("parley.store.url", "jdbc:sqlite:" + dir.resolve("parley.db"));
        properties.setProperty("parley.limits.flow-high-water", "65536");
        properties.setProperty("parley.limits.flow-low-water", "16384");
        properties.setProperty("parley.limits.max-stall", "10ms");
        properties.setProperty("parley.limits.max-pending-bytes", Integer.toString(maxPendingBytes));
        properties.setProperty("parley.limits.slow-consumer-timeout", slowConsumerTimeout);
        PluginCatalog catalog = PluginCatalog.discover(Optional.empty());
        Config config = ConfigLoader.load(ConfigLoader.reference(catalog.classLoaders()), Optional.empty(), properties,
                ConfigFactory.empty());
        LauncherSettings settings = LauncherSettings.from(config);
        ParleyServer server = ServerAssembly.build(config, settings, catalog.select(settings.plugins()));
        serverPort = server.start().getPort();
        open.add(server::shutdown);
        return server;
    }

    private static String get(URI uri) throws IOException {
        try (InputStream in = uri.toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The value of a Prometheus series in the scrape, 0 when it is absent. */
    private static double counter(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

}
