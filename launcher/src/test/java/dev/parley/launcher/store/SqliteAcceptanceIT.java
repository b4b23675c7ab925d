package dev.parley.launcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** Issue #20's acceptance with the default store: no configuration, SQLite in the distribution's data/. */
@DisplayName("a durable store, tried on the distribution: the default SQLite store")
class SqliteAcceptanceIT extends StoreAcceptance {

    @Override
    void useStore(Path home, String extraConf) throws Exception {
        assertThat(home.resolve("data")).doesNotExist();
        if (!extraConf.isEmpty()) {
            Files.writeString(home.resolve("conf/parley.conf"), extraConf);
        }
    }

    @Override
    void afterFirstStart(Path home) {
        assertThat(home.resolve("data/parley.db")).as("made by the first start").isRegularFile();
    }
}
