package dev.parley.store.jdbc;

import dev.parley.core.spi.store.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** What {@code parley store backup} and {@code parley store copy} do, outside a running server. */
public final class StoreMaintenance {
    /** Rows per insert batch and per transaction while copying. */
    private static final int COPY_BATCH = 1_000;

    private StoreMaintenance() {
    }

    /**
     * Writes a consistent copy of a SQLite store to {@code target} with {@code VACUUM INTO}: it reads one snapshot
     * of the database, so a server may keep writing meanwhile, and the copy is compact and complete (no -wal
     * file to carry along).
     *
     * @throws IllegalArgumentException when the store is not SQLite or the target exists
     * @throws StoreUnavailableException when the store cannot be read or the copy written
     */
    public static void backup(StoreUrl store, Path target) {
        if (store.dialect() != Dialect.SQLITE) {
            throw new IllegalArgumentException("parley store backup copies a SQLite store; " + store.display()
                    + " is PostgreSQL: use pg_dump (see docs/operations.md)");
        }
        if (!Files.isRegularFile(store.sqlite())) {
            throw new IllegalArgumentException("there is no store at " + store.sqlite());
        }
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists already; a backup never overwrites a file");
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("open_mode", "1");
        readOnly.setProperty("busy_timeout", "10000");
        try (Connection connection = DriverManager.getConnection(store.jdbcUrl(), readOnly);
             PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, target.toAbsolutePath().toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not back up " + store.display() + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /** How many rows a copy moved. */
    public record Copied(long conversations, long messages, long mailboxMessages) {
    }

    /**
     * Copies every conversation, message and waiting mailbox message of {@code from} into {@code to}, which must
     * hold none. Reads one snapshot of the source; messages appended to it afterwards are not copied, so stop the
     * server first. Both stores keep their own schema (each was migrated when opened).
     *
     * @throws IllegalArgumentException when the target holds messages already
     * @throws StoreUnavailableException when either store fails
     */
    public static Copied copy(JdbcMessageStore from, JdbcMessageStore to) {
        try (Connection source = from.connection(); Connection target = to.connection()) {
            if (count(target, "conversation") > 0 || count(target, "mailbox") > 0) {
                throw new IllegalArgumentException("the store at " + to.displayUrl()
                        + " holds messages already; copy only into an empty store");
            }
            // One read transaction: in SQLite's WAL mode and in PostgreSQL every query below sees the same data.
            source.setAutoCommit(false);
            if (from.dialect() == Dialect.POSTGRESQL) {
                source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            target.setAutoCommit(false);
            long conversations = copyRows(source, target,
                    "SELECT name, last_msgid, pruned_through FROM conversation ORDER BY name",
                    "INSERT INTO conversation (name, last_msgid, pruned_through) VALUES (?, ?, ?)", "sll");
            long messages = copyRows(source, target,
                    "SELECT conversation, msgid, sent_at, sender, target, body FROM message"
                            + " ORDER BY conversation, msgid",
                    "INSERT INTO message (conversation, msgid, sent_at, sender, target, body)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", "sllsss");
            long mailbox = copyRows(source, target,
                    "SELECT account, conversation, msgid, sent_at, sender, target, body FROM mailbox ORDER BY id",
                    "INSERT INTO mailbox (account, conversation, msgid, sent_at, sender, target, body)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)", "ssllsss");
            source.commit();
            return new Copied(conversations, messages, mailbox);
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not copy " + from.displayUrl() + " to " + to.displayUrl()
                    + ": " + e.getMessage(), e);
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Copies the rows of a query; {@code types} has one letter per column, {@code s} text or {@code l} long. */
    private static long copyRows(Connection source, Connection target, String select, String insert, String types)
            throws SQLException {
        long copied = 0;
        try (Statement query = source.createStatement();
             PreparedStatement into = target.prepareStatement(insert)) {
            query.setFetchSize(COPY_BATCH);
            try (ResultSet rows = query.executeQuery(select)) {
                while (rows.next()) {
                    for (int column = 1; column <= types.length(); column++) {
                        if (types.charAt(column - 1) == 's') {
                            into.setString(column, rows.getString(column));
                        } else {
                            into.setLong(column, rows.getLong(column));
                        }
                    }
                    into.addBatch();
                    if (++copied % COPY_BATCH == 0) {
                        into.executeBatch();
                        target.commit();
                    }
                }
            }
            into.executeBatch();
            target.commit();
        }
        return copied;
    }
}
