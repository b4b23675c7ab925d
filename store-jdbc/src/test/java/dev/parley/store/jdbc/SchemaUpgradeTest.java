package dev.parley.store.jdbc;

import static dev.parley.testkit.store.MessageStoreContract.await;
import static dev.parley.testkit.store.MessageStoreContract.message;
import static dev.parley.testkit.store.MessageStoreContract.msgids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.testkit.store.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by the previous version (schema 1: messages and mailboxes, no accounts) is upgraded in place when
 * this version opens it, keeps every message and its numbering, and stays usable by the previous version: the
 * promise that lets a cluster be upgraded one node at a time (docs/operations.md).
 */
@DisplayName("Upgrading a schema-1 store")
class SchemaUpgradeTest {
    @TempDir
    Path home;

    @Test
    @DisplayName("SQLite: a schema-1 store opens upgraded, with its messages, numbering and mailbox, and schema 1 still opens it")
    void sqlite() throws Exception {
        upgrades(StoreUrl.parse("jdbc:sqlite:data/old.db", home), null);
    }

    @Test
    @DisplayName("PostgreSQL: a schema-1 store opens upgraded, with its messages, numbering and mailbox, and schema 1 still opens it")
    void postgres() throws Exception {
        upgrades(StoreUrl.parse(PostgresServer.shared().newDatabase(), home), "parley");
    }

    private void upgrades(StoreUrl url, String user) throws Exception {
        if (url.sqlite() != null) {
            java.nio.file.Files.createDirectories(url.sqlite().getParent());
        }
        schemaOneMigrates(url, user);
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), user, null);
             Statement statement = connection.createStatement()) {
            // What a schema-1 Parley wrote: three messages in #lobby, one whisper waiting for bob.
            statement.execute("INSERT INTO conversation (name, last_msgid, pruned_through) VALUES ('#lobby', 3, 0)");
            for (int msgid = 1; msgid <= 3; msgid++) {
                statement.execute(insert("message (", message("#lobby", msgid, msgid)));
            }
            statement.execute("INSERT INTO conversation (name, last_msgid, pruned_through) VALUES ('@alice|bob', 1, 0)");
            statement.execute(insert("message (", message("@alice|bob", 1, 1)));
            statement.execute(insert("mailbox (account, ", message("@alice|bob", 1, 1)).replace("VALUES (",
                    "VALUES ('bob', "));
        }

        try (JdbcMessageStore store = JdbcMessageStore.open(url, user, null, JdbcSettings.defaults())) {
            assertThat(store.page("#lobby", Page.latest(10))).containsExactly(
                    message("#lobby", 1, 1), message("#lobby", 2, 2), message("#lobby", 3, 3));
            assertThat(store.mailbox("bob", 10)).containsExactly(message("@alice|bob", 1, 1));
            await(store.append(message("#lobby", 4, 4)));
            assertThat(msgids(store.page("#lobby", Page.latest(10)))).containsExactly(1L, 2L, 3L, 4L);
            AccountStore accounts = store.accounts().orElseThrow();
            assertThat(accounts.create(new AccountStore.Account("carol", "carol", "h", false, Instant.EPOCH)))
                    .as("schema 2's tables are there").isTrue();
        }
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), user, null);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT schema_version, compatible_from FROM parley_store")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getInt(1)).as("schema_version").isEqualTo(2);
            assertThat(row.getInt(2)).as("compatible_from: schema 1 may still use it").isEqualTo(1);
        }
        // The previous version opens the upgraded store: its migration step accepts the applied schema 2 it does
        // not know, and its tables are unchanged.
        schemaOneMigrates(url, user);
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), user, null);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT COUNT(*), MAX(msgid) FROM message WHERE conversation = '#lobby'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong(1)).isEqualTo(4);
            assertThat(row.getLong(2)).isEqualTo(4);
        }
    }

    /** An INSERT of a stored message's columns, as schema 1 lays them out. */
    private static String insert(String into, StoredMessage m) {
        return "INSERT INTO " + into + "conversation, msgid, sent_at, sender, target, body) VALUES ('"
                + m.conversation() + "', " + m.msgid() + ", " + m.time().toEpochMilli() + ", '" + m.sender() + "', '"
                + m.target() + "', '" + m.text() + "')";
    }

    /** What the previous version's {@link SchemaMigrations} ran: the same history table, schema 1 only. */
    private static void schemaOneMigrates(StoreUrl url, String user) throws SQLException {
        Flyway.configure(SchemaUpgradeTest.class.getClassLoader())
                .dataSource(url.jdbcUrl(), user, null)
                .table("parley_schema_history")
                .locations(new String[0])
                .javaMigrations(new SchemaMigrations.V1__Create_store(url.dialect()))
                .load()
                .migrate();
    }
}
