package dev.parley.launcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.store.jdbc.JdbcMessageStore;
import dev.parley.store.jdbc.JdbcSettings;
import dev.parley.store.jdbc.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/parley store} of the packaged distribution as a real process: the SQL store, its driver's native
 * library and Flyway's ServiceLoader plugins on the module path of {@code java -p lib}, not surefire's.
 */
@DisplayName("bin/parley store of the packaged distribution")
class StoreDistributionIT {
    private static final Path DIST = Path.of(System.getProperty("parley.dist", "target/parley")).toAbsolutePath();

    @TempDir
    Path tmp;
    private Path config;

    @BeforeEach
    void storeWithMessages() throws Exception {
        Path db = tmp.resolve("data/parley.db");
        config = Files.writeString(tmp.resolve("parley.conf"), "parley.store.url = \"jdbc:sqlite:" + db + "\"\n");
        try (JdbcMessageStore store = open(db)) {
            for (int msgid = 1; msgid <= 20; msgid++) {
                store.append(new StoredMessage("#lobby", msgid, Instant.ofEpochSecond(msgid), "alice", "#lobby",
                        "hello " + msgid)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static JdbcMessageStore open(Path db) {
        return JdbcMessageStore.open(StoreUrl.parse("jdbc:sqlite:" + db, db.getParent()), null, null,
                JdbcSettings.defaults());
    }

    private record Run(int exitCode, String output) {
    }

    private Run parley(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/parley").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(Files.createDirectories(tmp.resolve("cwd")).toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bin/parley exits").isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    @DisplayName("store backup writes a copy that opens with every message")
    void backup() throws Exception {
        Path backup = tmp.resolve("backup.db");
        Run run = parley("store", "backup", "--config", config.toString(), backup.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        try (JdbcMessageStore copy = open(backup)) {
            assertThat(copy.page("#lobby", Page.latest(100))).hasSize(20);
        }
    }

    @Test
    @DisplayName("store copy migrates a new SQLite store with Flyway and copies every message into it")
    void copy() throws Exception {
        Path target = tmp.resolve("copy/parley.db");
        Run run = parley("store", "copy", "--config", config.toString(), "--to", "jdbc:sqlite:" + target);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("copied 20 messages of 1 conversations");
        try (JdbcMessageStore copy = open(target)) {
            assertThat(copy.lastMsgId("#lobby")).hasValue(20);
        }
    }
}
