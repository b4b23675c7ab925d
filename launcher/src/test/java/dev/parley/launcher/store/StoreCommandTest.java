package dev.parley.launcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.launcher.cli.ParleyCommand;
import dev.parley.store.jdbc.JdbcMessageStore;
import dev.parley.store.jdbc.JdbcSettings;
import dev.parley.store.jdbc.StoreUrl;
import dev.parley.testkit.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("parley store backup|copy")
class StoreCommandTest {
    @TempDir
    Path dir;
    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void storeWithMessages() throws Exception {
        config = Files.writeString(dir.resolve("parley.conf"),
                "parley.store.url = \"jdbc:sqlite:" + dir.resolve("data/parley.db") + "\"\n");
        try (JdbcMessageStore store = open("jdbc:sqlite:data/parley.db")) {
            for (int msgid = 1; msgid <= 50; msgid++) {
                store.append(new StoredMessage("#lobby", msgid, Instant.ofEpochSecond(msgid), "alice", "#lobby",
                        "hello " + msgid)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private JdbcMessageStore open(String url) {
        return JdbcMessageStore.open(StoreUrl.parse(url, dir), null, null, JdbcSettings.defaults());
    }

    private int parley(String... args) {
        CommandLine commandLine = ParleyCommand.commandLine(args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    @DisplayName("backup writes a copy of the store named in --config, which opens with every message")
    void backup() {
        Path backup = dir.resolve("backup.db");
        assertThat(parley("store", "backup", "--config", config.toString(), backup.toString())).isZero();

        assertThat(out.toString()).contains("backed up jdbc:sqlite:" + dir.resolve("data/parley.db"));
        try (JdbcMessageStore copy = open("jdbc:sqlite:backup.db")) {
            assertThat(copy.page("#lobby", Page.latest(100))).hasSize(50);
        }
    }

    @Test
    @DisplayName("backup onto an existing file is a one-line error with exit code 2, the file untouched")
    void backupOntoExistingFile() throws Exception {
        Path existing = Files.writeString(dir.resolve("existing"), "keep");
        assertThat(parley("store", "backup", "--config", config.toString(), existing.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("parley: ").contains("exists already").doesNotContain("\tat ");
        assertThat(existing).hasContent("keep");
    }

    @Test
    @DisplayName("backup of a PostgreSQL store points to pg_dump")
    void backupOfPostgres() throws Exception {
        Files.writeString(config, "parley.store.url = \"jdbc:postgresql://127.0.0.1/parley\"\n");
        assertThat(parley("store", "backup", "--config", config.toString(), dir.resolve("x").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("pg_dump");
    }

    @Test
    @DisplayName("copy moves every message into the store at --to")
    void copy() {
        String target = "jdbc:sqlite:" + dir.resolve("copy.db");
        assertThat(parley("store", "copy", "--config", config.toString(), "--to", target)).isZero();

        assertThat(out.toString()).contains("copied 50 messages of 1 conversations");
        try (JdbcMessageStore copy = open(target)) {
            assertThat(copy.page("#lobby", Page.latest(100))).hasSize(50);
            assertThat(copy.lastMsgId("#lobby")).hasValue(50);
        }
    }

    @Test
    @DisplayName("copy to a PostgreSQL that does not answer exits 1 naming the URL without its password")
    void copyToUnreachable() {
        String target = "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/parley?password=s3cret";
        System.setProperty("parley.store.jdbc.connect-timeout", "1s");
        try {
            assertThat(parley("store", "copy", "--config", config.toString(), "--to", target)).isEqualTo(1);
        } finally {
            System.clearProperty("parley.store.jdbc.connect-timeout");
        }
        assertThat(err.toString()).startsWith("parley: cannot open the store at jdbc:postgresql://127.0.0.1:")
                .contains("password=***").doesNotContain("s3cret").doesNotContain("\tat ");
    }

    @Test
    @DisplayName("copy from a SQLite store that does not exist says so rather than creating one")
    void copyFromNothing() throws Exception {
        Files.writeString(config, "parley.store.url = \"jdbc:sqlite:" + dir.resolve("none.db") + "\"\n");
        assertThat(parley("store", "copy", "--config", config.toString(), "--to", "jdbc:sqlite:" + dir.resolve("c.db")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("there is no store at " + dir.resolve("none.db"));
        assertThat(dir.resolve("none.db")).doesNotExist();
    }

    @Test
    @DisplayName("is a subcommand of parley, with backup and copy")
    void registered() {
        assertThat(parley("store", "--help")).isZero();
        assertThat(out.toString()).contains("backup").contains("copy");
    }
}
