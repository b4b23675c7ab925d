package dev.parley.store.jdbc;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema 2: accounts people create and the moderation state of rooms (roles, bans, settings). Expand-only: new
 * tables, nothing an older Parley reads changes, so {@code compatible_from} stays 1 and a schema-1 Parley still
 * opens the store (and ignores the new tables).
 */
@SuppressWarnings("checkstyle:TypeName")
final class V2__Create_accounts extends BaseJavaMigration {
    private final Dialect dialect;

    V2__Create_accounts(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        String withoutRowId = dialect == Dialect.SQLITE ? " WITHOUT ROWID" : "";
        String[] statements = {
            // key: the name in its compared (case-folded) form; name: as spelt. Times in ms since the epoch.
            "CREATE TABLE account (account_key TEXT PRIMARY KEY, name TEXT NOT NULL, password_hash TEXT NOT NULL,"
                    + " disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)" + withoutRowId,
            "CREATE TABLE room_role (room TEXT NOT NULL, account_key TEXT NOT NULL, role TEXT NOT NULL,"
                    + " PRIMARY KEY (room, account_key))" + withoutRowId,
            // seq orders a room's bans oldest first (a replaced ban takes a new one).
            "CREATE TABLE room_ban (room TEXT NOT NULL, target TEXT NOT NULL, banned_by TEXT NOT NULL,"
                    + " expires_at BIGINT, reason TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (room, target))"
                    + withoutRowId,
            "CREATE TABLE room_setting (room TEXT NOT NULL, name TEXT NOT NULL, setting_value TEXT NOT NULL,"
                    + " PRIMARY KEY (room, name))" + withoutRowId,
            "UPDATE parley_store SET schema_version = 2 WHERE id = 1",
        };
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
