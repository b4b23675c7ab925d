package dev.parley.store.jdbc;

import static dev.parley.testkit.store.MessageStoreContract.await;
import static dev.parley.testkit.store.MessageStoreContract.failureOf;
import static dev.parley.testkit.store.MessageStoreContract.message;
import static dev.parley.testkit.store.MessageStoreContract.msgids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.testkit.FreePorts;
import dev.parley.testkit.store.PostgresServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL store when the server fails")
class PostgresFaultTest {
    /** Short timeouts, so that the bounds these tests check are reached quickly. */
    private static Config store(String url, String password) {
        return ConfigFactory.parseMap(Map.of("url", url, "user", "parley", "password", password,
                "jdbc.connect-timeout", "1s", "jdbc.statement-timeout", "2s"));
    }

    @Test
    @DisplayName("a server that does not answer at open is a StoreUnavailableException naming the URL, no password")
    void unreachableAtOpen() {
        String url = "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/parley?password=s3cret&ssl=false";

        assertThatThrownBy(() -> new JdbcStoreProvider().open(store(url, "hunter2"), Path.of(".")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot open the store at " + url.replace("s3cret", "***"))
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    @DisplayName("a server that restarts fails the appends in flight, then the store reconnects by itself")
    void restart() throws Exception {
        PostgresServer server = PostgresServer.started();
        try (MessageStore store = new JdbcStoreProvider().open(store(server.newDatabase(), ""), Path.of("."))) {
            await(store.append(message("#lobby", 1, 1)));

            server.kill();

            // Fails within the connect and statement timeouts, well inside the contract's wait.
            assertThat(failureOf(() -> store.append(message("#lobby", 2, 2))))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(store.isAvailable()).isFalse();

            server.start();

            long attempts = 0;
            while (failureOf(() -> store.append(message("#lobby", 3, 3))) != null) {
                assertThat(++attempts).as("appends after the restart keep failing").isLessThan(30);
            }
            assertThat(msgids(store.page("#lobby", Page.latest(10)))).containsExactly(1L, 3L);
            assertThat(store.isAvailable()).isTrue();
        } finally {
            server.kill();
        }
    }

    @Test
    @DisplayName("a server that stops answering fails an append within the statement timeout, then recovers")
    void hangingServer() throws Exception {
        PostgresServer server = PostgresServer.started();
        try (MessageStore store = new JdbcStoreProvider().open(store(server.newDatabase(), ""), Path.of("."))) {
            await(store.append(message("#lobby", 1, 1)));

            server.freeze();
            CompletableFuture<Void> inFlight;
            try {
                inFlight = store.append(message("#lobby", 2, 2)).toCompletableFuture();
                // connect-timeout 1s + statement-timeout 2s: the stage fails well before 15 s.
                assertThat(failureOf(() -> inFlight)).isInstanceOf(StoreUnavailableException.class);
            } finally {
                server.thaw();
            }

            long attempts = 0;
            while (failureOf(() -> store.append(message("#lobby", 3, 3))) != null) {
                assertThat(++attempts).as("appends after the server answers again keep failing").isLessThan(30);
            }
            assertThat(msgids(store.page("#lobby", Page.latest(10)))).contains(1L, 3L);
        } finally {
            server.kill();
        }
    }
}
