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
import java.sql.Types;
import java.util.List;
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

    /**
     * How many rows a copy moved.
     *
     * @param conversations   rooms and private conversations, with their numbering
     * @param messages        stored messages
     * @param mailboxMessages private messages waiting for offline accounts
     * @param accounts        accounts created with {@code REGISTER} or {@code parley account add}
     * @param roomStates      rows of rooms' moderation state: roles, bans and settings together
     */
    public record Copied(long conversations, long messages, long mailboxMessages, long accounts, long roomStates) {
    }

    /**
     * Copies every conversation, message and waiting mailbox message of {@code from} into {@code to}, and the
     * accounts and rooms' roles, bans and settings with them, into a target that holds none of these. Reads one snapshot of the source; messages appended to it afterwards are not copied, so stop the
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
            for (String table : ROOM_STATE_TABLES) {
                if (count(target, table) > 0) {
                    throw new IllegalArgumentException("the store at " + to.displayUrl()
                            + " holds accounts or room settings already; copy only into an empty store");
                }
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
            long accounts = copyRows(source, target,
                    "SELECT account_key, name, password_hash, disabled, created_at FROM account ORDER BY account_key",
                    "INSERT INTO account (account_key, name, password_hash, disabled, created_at)"
                            + " VALUES (?, ?, ?, ?, ?)", "sssll");
            long roomStates = copyRows(source, target,
                    "SELECT room, account_key, role FROM room_role ORDER BY room, account_key",
                    "INSERT INTO room_role (room, account_key, role) VALUES (?, ?, ?)", "sss")
                    + copyRows(source, target,
                    "SELECT room, target, banned_by, expires_at, reason, seq FROM room_ban ORDER BY room, seq",
                    "INSERT INTO room_ban (room, target, banned_by, expires_at, reason, seq)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", "sssnsl")
                    + copyRows(source, target,
                    "SELECT room, name, setting_value FROM room_setting ORDER BY room, name",
                    "INSERT INTO room_setting (room, name, setting_value) VALUES (?, ?, ?)", "sss");
            source.commit();
            return new Copied(conversations, messages, mailbox, accounts, roomStates);
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not copy " + from.displayUrl() + " to " + to.displayUrl()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The tables of schema 2, copied with the messages. */
    private static final List<String> ROOM_STATE_TABLES = List.of("account", "room_role", "room_ban", "room_setting");

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * Copies the rows of a query; {@code types} has one letter per column: {@code s} text, {@code l} long,
     * {@code n} a long that may be NULL (a ban without an end).
     */
    private static long copyRows(Connection source, Connection target, String select, String insert, String types)
            throws SQLException {
        long copied = 0;
        try (Statement query = source.createStatement();
             PreparedStatement into = target.prepareStatement(insert)) {
            query.setFetchSize(COPY_BATCH);
            try (ResultSet rows = query.executeQuery(select)) {
                while (rows.next()) {
                    for (int column = 1; column <= types.length(); column++) {
                        switch (types.charAt(column - 1)) {
                            case 's' -> into.setString(column, rows.getString(column));
                            case 'l' -> into.setLong(column, rows.getLong(column));
                            default -> {
                                long value = rows.getLong(column);
                                if (rows.wasNull()) {
                                    into.setNull(column, Types.BIGINT);
                                } else {
                                    into.setLong(column, value);
                                }
                            }
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
