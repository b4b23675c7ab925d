package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.store.jdbc.JdbcStoreProvider;
import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.store.PostgresServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("/readyz follows a real PostgreSQL store")
class ReadinessTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> readyz(WebTestServer server) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url.resolve("/readyz")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("503 while PostgreSQL is stopped, 200 again once it is back, without restarting Parley")
    void followsTheStore() throws Exception {
        PostgresServer postgres = PostgresServer.started();
        // Short timeouts, as an operator whose load balancer probes every few seconds would set them.
        var settings = ConfigFactory.parseMap(Map.of("url", postgres.newDatabase(), "user", "parley",
                "jdbc.connect-timeout", "1s", "jdbc.statement-timeout", "2s"));
        try (MessageStore store = new JdbcStoreProvider().open(settings, Path.of("."));
             WebTestServer server = WebTestServer.start(Map.of(), Optional.of(store), ParleyTestKit.findPlugin("chat"))) {
            assertThat(readyz(server).statusCode()).isEqualTo(200);

            postgres.kill();
            HttpResponse<String> down = readyz(server);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("message store unavailable\n");
            assertThat(server.tcp.connect().send("NICK probe").reply()).as("TCP goes on answering")
                    .startsWith("OK NICK probe");

            postgres.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int status;
            while ((status = readyz(server).statusCode()) != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(status).as("ready again within 30 s of PostgreSQL's return").isEqualTo(200);
        } finally {
            postgres.kill();
        }
    }
}
