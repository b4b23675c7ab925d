package dev.parley.store.jdbc;

import static dev.parley.testkit.store.MessageStoreContract.await;
import static dev.parley.testkit.store.MessageStoreContract.message;
import static dev.parley.testkit.store.MessageStoreContract.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The SQLite store when things go wrong")
class SqliteFaultTest {
    @TempDir
    Path home;

    private static MessageStore open(Path home, String url) {
        return new JdbcStoreProvider().open(ConfigFactory.parseMap(Map.of("url", url)), home);
    }

    private static void sql(Path file, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Nested
    @DisplayName("on a small file system (a tmpfs this test mounts; skipped where it cannot mount one)")
    class SmallFileSystem {
        @Test
        @DisplayName("a full disk fails the append with STORE_UNAVAILABLE, keeps nothing of it, and recovers")
        void diskFull() throws Exception {
            Path mountPoint = mountTmpfs("size=2m");
            try {
                Path filler = mountPoint.resolve("filler");
                Files.write(filler, new byte[512 * 1024]);
                MessageStore store = open(home, "jdbc:sqlite:" + mountPoint.resolve("parley.db"));
                try {
                    String big = "x".repeat(16 * 1024);
                    long msgid = 0;
                    Throwable failure = null;
                    while (failure == null && msgid < 10_000) {
                        msgid++;
                        StoredMessage message = new StoredMessage("#lobby", msgid, Instant.now(),
                                "alice", "#lobby", big);
                        failure = failureOf(() -> store.append(message));
                    }
                    assertThat(failure).isInstanceOf(StoreUnavailableException.class);
                    long failed = msgid;
                    assertThat(store.contains("#lobby", failed)).isFalse();
                    assertThat(store.lastMsgId("#lobby")).hasValue(failed - 1);

                    Files.delete(filler);

                    await(store.append(message("#lobby", failed, failed)));
                    assertThat(store.page("#lobby", Page.latest(1)).get(0).msgid()).isEqualTo(failed);
                    assertThat(store.lastMsgId("#lobby")).hasValue(failed);
                } finally {
                    store.close();
                }
            } finally {
                unmount(mountPoint);
            }
        }

        @Test
        @DisplayName("a store on a read-only file system is a clear open error")
        void readOnly() throws Exception {
            Path mountPoint = mountTmpfs("size=4m");
            try {
                String url = "jdbc:sqlite:" + mountPoint.resolve("parley.db");
                open(home, url).close();
                command("mount", "-o", "remount,ro", mountPoint.toString());

                assertThatThrownBy(() -> open(home, url))
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageStartingWith("cannot open the store at " + url + ": ")
                        .hasMessageContaining("is not writable");
            } finally {
                unmount(mountPoint);
            }
        }

        private Path mountTmpfs(String options) throws Exception {
            Path mountPoint = Files.createDirectories(home.resolve("small"));
            CommandResult result = command("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString());
            Assumptions.assumeTrue(result.exitCode() == 0,
                    "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): " + result.output());
            return mountPoint;
        }

        private void unmount(Path mountPoint) throws Exception {
            CommandResult result = command("umount", mountPoint.toString());
            assertThat(result.exitCode()).as("umount: " + result.output()).isZero();
        }
    }

    @Test
    @DisplayName("a file that is not a database is a clear open error naming the URL")
    void corruptFile() throws Exception {
        Path file = Files.createDirectories(home.resolve("data")).resolve("parley.db");
        Files.writeString(file, "this is not a database\n".repeat(400), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> open(home, "jdbc:sqlite:data/parley.db"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("cannot open the store at jdbc:sqlite:" + file + ": ")
                .hasMessageContaining("not a database");
    }

    @Test
    @DisplayName("a store whose directory cannot be created is a clear open error")
    void directoryIsAFile() throws Exception {
        Files.writeString(home.resolve("data"), "a file where the directory should be");

        assertThatThrownBy(() -> open(home, "jdbc:sqlite:data/parley.db"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot create the directory " + home.resolve("data"));
    }

    @Test
    @DisplayName("a store a newer Parley made incompatible is refused, saying so")
    void newerIncompatibleSchema() throws Exception {
        open(home, "jdbc:sqlite:parley.db").close();
        sql(home.resolve("parley.db"), "UPDATE parley_store SET schema_version = 4, compatible_from = 3");

        assertThatThrownBy(() -> open(home, "jdbc:sqlite:parley.db"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("written by a newer Parley (schema 4, usable from schema 3)")
                .hasMessageContaining("this Parley knows schema 2");
    }

    @Test
    @DisplayName("a store a newer Parley expanded but kept compatible still opens")
    void newerCompatibleSchema() throws Exception {
        try (MessageStore store = open(home, "jdbc:sqlite:parley.db")) {
            await(store.append(message("#lobby", 1, 1)));
        }
        sql(home.resolve("parley.db"), "UPDATE parley_store SET schema_version = 3, compatible_from = 1",
                "CREATE TABLE reaction (conversation TEXT, msgid BIGINT, emoji TEXT)",
                "INSERT INTO parley_schema_history (installed_rank, version, description, type, script, checksum,"
                        + " installed_by, execution_time, success) VALUES (3, '3', 'Reactions', 'JDBC',"
                        + " 'V3__Reactions', NULL, 'newer', 1, 1)");

        try (MessageStore store = open(home, "jdbc:sqlite:parley.db")) {
            assertThat(store.page("#lobby", Page.latest(10))).hasSize(1);
            await(store.append(message("#lobby", 2, 2)));
        }
    }

    record CommandResult(int exitCode, String output) {
    }

    static CommandResult command(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new CommandResult(-1, e.getMessage());
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new CommandResult(-1, command[0] + " did not finish");
        }
        return new CommandResult(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }
}
