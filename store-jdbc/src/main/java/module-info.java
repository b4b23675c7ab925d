import dev.parley.core.spi.store.MessageStoreProvider;
import dev.parley.store.jdbc.JdbcStoreProvider;

/**
 * Parley's SQL message store: SQLite (embedded, the default {@code jdbc:sqlite:data/parley.db}) and PostgreSQL,
 * opened by the launcher through {@link MessageStoreProvider} for {@code jdbc:sqlite:} and
 * {@code jdbc:postgresql:} URLs. Schema migrations run with Flyway at open; connections come from HikariCP.
 */
module dev.parley.store.jdbc {
    requires dev.parley.core;
    requires java.sql;
    requires org.slf4j;
    requires com.zaxxer.hikari;
    // File-name automatic modules: Flyway's jars carry no Automatic-Module-Name.
    requires flyway.core;
    // Flyway finds its PostgreSQL support through ServiceLoader; requiring it puts it in the module graph
    // even when the launch does not add every module of the module path.
    requires flyway.database.postgresql;
    // The JDBC drivers: found by DriverManager through their java.sql.Driver providers.
    requires org.xerial.sqlitejdbc;
    requires org.postgresql.jdbc;

    exports dev.parley.store.jdbc;

    provides MessageStoreProvider with JdbcStoreProvider;
}
