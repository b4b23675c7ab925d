package dev.parley.store.jdbc;

import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link AccountStore} of a SQL store, in the tables of schema 2 ({@link V2__Create_accounts}). Every
 * method is one short transaction on a pooled connection; writes are committed when it returns.
 */
final class JdbcAccountStore implements AccountStore {
    private final DataSource dataSource;
    private final String displayUrl;

    JdbcAccountStore(DataSource dataSource, String displayUrl) {
        this.dataSource = dataSource;
        this.displayUrl = displayUrl;
    }

    @Override
    public boolean create(Account account) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO account (account_key, name, password_hash,"
                     + " disabled, created_at) VALUES (?, ?, ?, ?, ?)")) {
            if (find(c, account.key()).isPresent()) {
                return false;
            }
            insert.setString(1, account.key());
            insert.setString(2, account.name());
            insert.setString(3, account.passwordHash());
            insert.setInt(4, account.disabled() ? 1 : 0);
            insert.setLong(5, account.created().toEpochMilli());
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false; // created meanwhile by another writer
            }
            throw unavailable(e);
        }
    }

    @Override
    public List<String> names() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT name FROM account");
             ResultSet rows = select.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<Account> find(String key) {
        try (Connection c = dataSource.getConnection()) {
            return find(c, key);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static Optional<Account> find(Connection c, String key) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT name, password_hash, disabled, created_at"
                + " FROM account WHERE account_key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Account(key, row.getString(1), row.getString(2), row.getInt(3) != 0,
                        Instant.ofEpochMilli(row.getLong(4))));
            }
        }
    }

    @Override
    public boolean changePassword(String key, String passwordHash) {
        return update("UPDATE account SET password_hash = ? WHERE account_key = ?", passwordHash, key) > 0;
    }

    @Override
    public boolean setDisabled(String key, boolean disabled) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE account SET disabled = ? WHERE account_key = ?")) {
            update.setInt(1, disabled ? 1 : 0);
            update.setString(2, key);
            return update.executeUpdate() > 0;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Map<String, String> roles(String room) {
        return pairs("SELECT account_key, role FROM room_role WHERE room = ? ORDER BY account_key", room);
    }

    @Override
    public void setRole(String room, String account, String role) {
        replace("DELETE FROM room_role WHERE room = ? AND account_key = ?",
                "INSERT INTO room_role (room, account_key, role) VALUES (?, ?, ?)", room, account, role);
    }

    @Override
    public List<Ban> bans(String room) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT target, banned_by, expires_at, reason FROM room_ban"
                     + " WHERE room = ? ORDER BY seq")) {
            select.setString(1, room);
            List<Ban> bans = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long expires = row.getLong(3);
                    Instant at = row.wasNull() ? null : Instant.ofEpochMilli(expires);
                    bans.add(new Ban(room, row.getString(1), row.getString(2), at, row.getString(4)));
                }
            }
            return bans;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void ban(Ban ban) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM room_ban WHERE room = ? AND target = ?");
                 PreparedStatement next = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM room_ban"
                         + " WHERE room = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO room_ban (room, target, banned_by,"
                         + " expires_at, reason, seq) VALUES (?, ?, ?, ?, ?, ?)")) {
                delete.setString(1, ban.room());
                delete.setString(2, ban.target());
                delete.executeUpdate();
                next.setString(1, ban.room());
                long seq;
                try (ResultSet row = next.executeQuery()) {
                    row.next();
                    seq = row.getLong(1);
                }
                insert.setString(1, ban.room());
                insert.setString(2, ban.target());
                insert.setString(3, ban.by());
                if (ban.expires() == null) {
                    insert.setNull(4, Types.BIGINT);
                } else {
                    insert.setLong(4, ban.expires().toEpochMilli());
                }
                insert.setString(5, ban.reason());
                insert.setLong(6, seq);
                insert.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean unban(String room, String target) {
        return update("DELETE FROM room_ban WHERE room = ? AND target = ?", room, target) > 0;
    }

    @Override
    public Map<String, String> settings(String room) {
        return pairs("SELECT name, setting_value FROM room_setting WHERE room = ? ORDER BY name", room);
    }

    @Override
    public void set(String room, String setting, String value) {
        replace("DELETE FROM room_setting WHERE room = ? AND name = ?",
                "INSERT INTO room_setting (room, name, setting_value) VALUES (?, ?, ?)", room, setting, value);
    }

    /** Deletes the row of (room, key) and, unless value is null, inserts it anew: one transaction. */
    private void replace(String deleteSql, String insertSql, String room, String key, String value) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement(deleteSql)) {
                delete.setString(1, room);
                delete.setString(2, key);
                delete.executeUpdate();
                if (value != null) {
                    try (PreparedStatement insert = c.prepareStatement(insertSql)) {
                        insert.setString(1, room);
                        insert.setString(2, key);
                        insert.setString(3, value);
                        insert.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Map<String, String> pairs(String sql, String room) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, room);
            Map<String, String> pairs = new LinkedHashMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    pairs.put(row.getString(1), row.getString(2));
                }
            }
            return pairs;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private int update(String sql, String first, String second) {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(sql)) {
            update.setString(1, first);
            update.setString(2, second);
            return update.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** SQLSTATE class 23 (PostgreSQL, and SQLite's driver for some), or SQLite's SQLITE_CONSTRAINT code. */
    private static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23") || e.getErrorCode() == 19;
    }

    private StoreUnavailableException unavailable(SQLException e) {
        return new StoreUnavailableException("the store at " + displayUrl + " cannot keep accounts right now: "
                + e.getMessage(), e);
    }
}
