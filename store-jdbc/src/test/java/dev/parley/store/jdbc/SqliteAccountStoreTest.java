package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.AccountStore.Account;
import dev.parley.core.spi.store.AccountStore.Ban;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.testkit.store.AccountStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The SQLite store's accounts")
class SqliteAccountStoreTest implements AccountStoreContract {
    @TempDir
    Path home;
    private MessageStore store;

    @BeforeEach
    void open() {
        store = SqliteMessageStoreTest.open(home);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    public AccountStore accounts() {
        return store.accounts().orElseThrow();
    }

    @Test
    @DisplayName("accounts, roles, bans and settings outlive a reopen; the store records schema 2, usable from 1")
    void reopenKeepsEverything() throws Exception {
        accounts().create(new Account("alice", "Alice", "hash", false, T0));
        accounts().setRole("#club", "alice", "owner");
        accounts().ban(new Ban("#club", "account:mallory", "alice", T0, "spam"));
        accounts().set("#club", "key", "s3cret");
        store.close();

        store = SqliteMessageStoreTest.open(home);
        assertThat(accounts().find("alice")).contains(new Account("alice", "Alice", "hash", false, T0));
        assertThat(accounts().roles("#club")).containsEntry("alice", "owner");
        assertThat(accounts().bans("#club")).containsExactly(new Ban("#club", "account:mallory", "alice", T0, "spam"));
        assertThat(accounts().settings("#club")).containsEntry("key", "s3cret");
        try (Connection c = ((JdbcMessageStore) store).connection(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT schema_version, compatible_from FROM parley_store")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getInt(1)).isEqualTo(2);
            assertThat(row.getInt(2)).isEqualTo(1);
        }
    }
}
