package dev.parley.store.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Brings a store's schema to {@link #SCHEMA_VERSION} with Flyway, after refusing a store that a newer Parley
 * made incompatible.
 *
 * <p>Migrations follow expand/contract (docs/operations.md): a migration that a running older Parley could not
 * work with is split so that the expanding half ships first and the contracting half one version later. Each
 * migration records in {@code parley_store.compatible_from} the oldest schema that still works on the result;
 * Flyway itself ignores applied migrations it does not know ({@code ignoreMigrationPatterns} {@code *:future}),
 * so an older Parley opens a newer store exactly when {@code compatible_from} allows it.
 *
 * <p>The migrations are Java classes holding their SQL rather than {@code .sql} resources: in a named module a
 * resource directory such as {@code db/migration} is encapsulated and Flyway's class-path scanner cannot list it.
 */
final class SchemaMigrations {
    /** The schema this code reads and writes. */
    static final int SCHEMA_VERSION = 2;

    private SchemaMigrations() {
    }

    /**
     * Migrates the store.
     *
     * @throws IncompatibleStoreException when a newer Parley wrote a schema this one cannot use
     */
    static void migrate(DataSource dataSource, Dialect dialect, String displayUrl) throws SQLException {
        refuseNewer(dataSource, displayUrl);
        Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .table("parley_schema_history")
                .locations(new String[0])
                .javaMigrations(new V1__Create_store(dialect), new V2__Create_accounts(dialect))
                .load()
                .migrate();
    }

    private static void refuseNewer(DataSource dataSource, String displayUrl) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            try (ResultSet tables = metaData.getTables(null, null, "parley_store", null)) {
                if (!tables.next()) {
                    return;
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(
                         "SELECT schema_version, compatible_from FROM parley_store WHERE id = 1")) {
                if (row.next() && row.getInt("compatible_from") > SCHEMA_VERSION) {
                    throw new IncompatibleStoreException("the store at " + displayUrl
                            + " was written by a newer Parley (schema " + row.getInt("schema_version")
                            + ", usable from schema " + row.getInt("compatible_from") + "); this Parley knows schema "
                            + SCHEMA_VERSION + ": upgrade Parley to open it");
                }
            }
        }
    }

    /** A store refused because a newer Parley wrote it. */
    static final class IncompatibleStoreException extends RuntimeException {
        IncompatibleStoreException(String message) {
            super(message);
        }
    }

    /** Schema 1: conversations, their messages, mailboxes and the compatibility record. */
    @SuppressWarnings("checkstyle:TypeName")
    static final class V1__Create_store extends BaseJavaMigration {
        private final Dialect dialect;

        V1__Create_store(Dialect dialect) {
            this.dialect = dialect;
        }

        @Override
        public void migrate(Context context) throws SQLException {
            try (Statement statement = context.getConnection().createStatement()) {
                for (String sql : dialect.createSchema()) {
                    statement.execute(sql);
                }
            }
        }
    }
}
