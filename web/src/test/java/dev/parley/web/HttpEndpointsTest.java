package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The HTTP server")
class HttpEndpointsTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private WebTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = WebTestServer.start(Map.of(), ParleyTestKit.findPlugin("chat"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Nested
    @DisplayName("health")
    class Health {

        @Test
        @DisplayName("/healthz answers 200; /readyz 200 while the store answers, 503 once it does not")
        void readiness() throws Exception {
            assertThat(get("/healthz").statusCode()).isEqualTo(200);
            assertThat(get("/readyz").statusCode()).isEqualTo(200);
            SwitchableStore store = new SwitchableStore();
            server.tcp.core().provide(MessageStore.class, store);
            assertThat(get("/readyz").statusCode()).isEqualTo(200);
            store.available = false;
            HttpResponse<String> down = get("/readyz");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("store");
            store.available = true;
            assertThat(get("/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("/client.json offers account creation to the browser client only where anyone may create one")
    void clientSettings() throws Exception {
        HttpResponse<String> none = get("/client.json");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).contains("\"selfRegistration\":false");
        for (String registration : new String[] {"open", "closed"}) {
            try (WebTestServer auth = WebTestServer.start(Map.of("parley.auth.registration", registration),
                    java.util.Optional.of(new dev.parley.core.store.MemoryMessageStore(10)),
                    ParleyTestKit.findPlugin("chat"), ParleyTestKit.findPlugin("auth"))) {
                String body = http.send(HttpRequest.newBuilder(auth.url.resolve("/client.json")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(body).contains("\"selfRegistration\":" + registration.equals("open"));
            }
        }
    }

    @Nested
    @DisplayName("metrics")
    class Metrics {

        @Test
        @DisplayName("/metrics counts commands by verb and result, unknown verbs as other, and rooms and sessions")
        void commands() throws Exception {
            try (LineClient tcp = server.tcp.connect()) {
                tcp.send("NICK counted").reply();
                tcp.send("JOIN #m").reply();
                tcp.send("JOIN bad").reply();
                tcp.send("XYZZY").reply();
                tcp.send("PLUGH").reply();
                String metrics = get("/metrics").body();
                assertThat(metrics)
                        .contains("parley_commands_total{result=\"ok\",verb=\"NICK\"} 1.0")
                        .contains("parley_commands_total{result=\"ok\",verb=\"JOIN\"} 1.0")
                        .contains("parley_commands_total{result=\"BAD_NAME\",verb=\"JOIN\"} 1.0")
                        .contains("parley_commands_total{result=\"UNKNOWN_COMMAND\",verb=\"other\"} 2.0")
                        .doesNotContain("XYZZY")
                        .contains("parley_rooms 1.0")
                        .contains("parley_sessions 1.0")
                        .contains("parley_connections{transport=\"websocket\"} 0.0")
                        .contains("jvm_memory_used_bytes");
                assertThat(get("/api/v1/stats").body()).contains("\"sessions\":1", "\"rooms\":1", "\"commands\":5");
            }
        }

        @Test
        @DisplayName("WebSocket bytes in and out move")
        void webSocketBytes() throws Exception {
            try (WsClient ws = WsClient.connect(server.ws(), null)) {
                ws.next();
                ws.send("NICK bytes");
                ws.awaitStart("OK NICK");
            }
            String metrics = get("/metrics").body();
            assertThat(metrics).containsPattern("parley_bytes_received_total\\{transport=\"websocket\"} 10\\.0")
                    .containsPattern("parley_bytes_sent_total\\{transport=\"websocket\"} [1-9]");
        }
    }

    @Test
    @DisplayName("every series the Grafana dashboard in docs/ queries is exported")
    void dashboardMatchesMetrics() throws Exception {
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/grafana-dashboard.json"));
        String metrics;
        // A server with a store, as the launcher runs one, so that the store's timers are there.
        try (WebTestServer stored = WebTestServer.start(Map.of(),
                java.util.Optional.of(new dev.parley.core.store.MemoryMessageStore(100)),
                ParleyTestKit.findPlugin("chat"));
             LineClient tcp = stored.tcp.connect()) {
            tcp.send("NICK dashboard").reply(); // commands are counted from the first one
            metrics = http.send(HttpRequest.newBuilder(stored.url.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b((?:parley|jvm|process)_[a-z_]+)\\b")
                .matcher(dashboard);
        // A GC pause series appears at the first collection.
        java.util.Set<String> later = java.util.Set.of("jvm_gc_pause_seconds_sum");
        int checked = 0;
        while (names.find()) {
            if (!later.contains(names.group(1))) {
                assertThat(metrics).as(names.group(1)).containsPattern("(?m)^" + names.group(1) + "[{ ]");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    @DisplayName("serves the browser client from the jar, with a policy that allows nothing from elsewhere")
    void client() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
        assertThat(page.body()).contains("<title>Parley</title>");
        assertThat(get("/../../etc/passwd").statusCode()).isIn(400, 404);
        assertThat(get("/nothing.js").statusCode()).isEqualTo(404);
    }

    /** A store whose availability the test switches, as a database going away would. */
    static final class SwitchableStore implements MessageStore {
        volatile boolean available = true;

        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public CompletionStage<Void> append(StoredMessage message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> insert(StoredMessage message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public OptionalLong lastMsgId(String conversation) {
            return OptionalLong.empty();
        }

        @Override
        public boolean contains(String conversation, long msgid) {
            return false;
        }

        @Override
        public List<StoredMessage> page(String conversation, Page page) {
            return List.of();
        }

        @Override
        public CompletionStage<Boolean> deposit(String account, StoredMessage message, int capacity) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public List<StoredMessage> mailbox(String account, int limit) {
            return List.of();
        }

        @Override
        public void acknowledge(String account, String conversation, long msgid) {
        }

        @Override
        public long prune(Instant olderThan, long maxPerConversation) {
            return 0;
        }

        @Override
        public void close() {
        }
    }

}
