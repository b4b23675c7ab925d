package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.store.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every page is one index range read, never a scan of the conversation or a sort: that is what keeps a page of
 * 100 in a room of 1,000,000 messages as fast as in a room of 1,000 (StorePageBenchmark measures it). The
 * shapes are those {@link JdbcMessageStore}'s pages issue.
 */
@DisplayName("The page queries' plans")
class PageQueryPlanTest {
    static final String SHAPES = """
            ''                                | ORDER BY msgid DESC
            AND msgid < ?                     | ORDER BY msgid DESC
            AND msgid > ?                     | ORDER BY msgid
            AND msgid >= ?                    | ORDER BY msgid
            AND sent_at < ?                   | ORDER BY sent_at DESC, msgid DESC
            AND sent_at >= ?                  | ORDER BY sent_at, msgid
            AND msgid > ? AND msgid < ?       | ORDER BY msgid
            AND sent_at >= ? AND sent_at < ?  | ORDER BY sent_at, msgid
            """;

    @TempDir
    Path home;

    @ParameterizedTest(name = "SQLite: {0} {1}")
    @CsvSource(delimiter = '|', textBlock = SHAPES)
    void sqlite(String where, String order) throws SQLException {
        try (JdbcMessageStore store = JdbcMessageStore.open(StoreUrl.parse("jdbc:sqlite:p.db", home), null, null,
                JdbcSettings.defaults());
             Connection connection = store.connection()) {
            String plan = String.join("\n", plan(connection, "EXPLAIN QUERY PLAN " + JdbcMessageStore.pageSql(where, order),
                    where, 4));
            assertThat(plan).contains("SEARCH message USING").doesNotContain("SCAN").doesNotContain("TEMP B-TREE");
        }
    }

    @Test
    @DisplayName("PostgreSQL: an index scan in order, no sort, for every shape")
    void postgresql() throws SQLException {
        String url = PostgresServer.shared().newDatabase();
        try (JdbcMessageStore store = JdbcMessageStore.open(StoreUrl.parse(url, home), "parley", null,
                JdbcSettings.defaults());
             Connection connection = store.connection()) {
            try (Statement statement = connection.createStatement()) {
                // An empty table is cheapest to scan and sort; the question is whether an index serves the order.
                statement.execute("SET enable_seqscan = off");
                statement.execute("SET enable_bitmapscan = off");
                statement.execute("SET enable_sort = off");
            }
            for (String line : SHAPES.strip().split("\n")) {
                String where = line.split("\\|")[0].strip().replace("''", "");
                String order = line.split("\\|")[1].strip();
                String plan = String.join("\n", plan(connection, "EXPLAIN " + JdbcMessageStore.pageSql(where, order),
                        where, 1));
                assertThat(plan).as(where + " " + order).contains("Index").doesNotContain("Sort")
                        .doesNotContain("Seq Scan");
            }
        }
    }

    /** The plan's text column of each row, with every parameter bound to a number. */
    private static List<String> plan(Connection connection, String sql, String where, int column) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement explain = connection.prepareStatement(sql)) {
            explain.setString(1, "#lobby");
            int parameters = (int) where.chars().filter(c -> c == '?').count();
            for (int i = 0; i < parameters; i++) {
                explain.setLong(2 + i, 1_000L);
            }
            explain.setInt(2 + parameters, 100);
            try (ResultSet result = explain.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(column));
                }
            }
        }
        return rows;
    }
}
