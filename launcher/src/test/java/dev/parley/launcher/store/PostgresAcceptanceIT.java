package dev.parley.launcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.store.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/**
 * Issue #20's acceptance against a real PostgreSQL server (Debian's, started by the tests; skipped with the
 * reason where it is not installed), each test on a database of its own.
 */
@DisplayName("a durable store, tried on the distribution: PostgreSQL")
class PostgresAcceptanceIT extends StoreAcceptance {

    @Override
    void useStore(Path home, String extraConf) throws Exception {
        String url = PostgresServer.shared().newDatabase();
        Files.writeString(home.resolve("conf/parley.conf"), "parley.store { url = \"" + url + "\", user = parley }\n"
                + extraConf);
    }

    @Override
    void afterFirstStart(Path home) {
        assertThat(home.resolve("data/parley.db")).as("no SQLite file beside PostgreSQL").doesNotExist();
    }
}
