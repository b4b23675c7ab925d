package dev.parley.store.jdbc;

import static dev.parley.testkit.store.MessageStoreContract.await;
import static dev.parley.testkit.store.MessageStoreContract.message;
import static dev.parley.testkit.store.MessageStoreContract.msgids;
import static dev.parley.testkit.store.MessageStoreContract.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.Page;
import dev.parley.testkit.store.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Backing up and copying a store")
class StoreMaintenanceTest {
    @TempDir
    Path home;
    private StoreUrl url;
    private JdbcMessageStore store;

    @BeforeEach
    void open() {
        url = StoreUrl.parse("jdbc:sqlite:data/parley.db", home);
        store = JdbcMessageStore.open(url, null, null, JdbcSettings.defaults());
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int msgid = 1; msgid <= 2_500; msgid++) {
            stages.add(store.append(message("#lobby", msgid, msgid)).toCompletableFuture());
        }
        stages.add(store.append(message("@alice|bob", 1, 1)).toCompletableFuture());
        stages.forEach(stage -> await(stage));
        await(store.deposit("bob", message("@alice|bob", 1, 1), 10));
        store.prune(null, 2_000);
        AccountStore accounts = store.accounts().orElseThrow();
        accounts.create(ALICE);
        accounts.setDisabled("alice", true);
        accounts.setRole("#club", "alice", "owner");
        accounts.ban(FOREVER);
        accounts.ban(UNTIL_NOON);
        accounts.set("#club", "key", "s3cret");
    }

    private static final AccountStore.Account ALICE = new AccountStore.Account("alice", "Alice", "pbkdf2$hash",
            false, Instant.ofEpochMilli(1_000));
    private static final AccountStore.Ban FOREVER = new AccountStore.Ban("#club", "account:mallory", "alice", null,
            "spam");
    private static final AccountStore.Ban UNTIL_NOON = new AccountStore.Ban("#club", "addr:10.0.0.0/8", "alice",
            Instant.parse("2030-01-01T12:00:00Z"), "");

    @AfterEach
    void close() {
        store.close();
    }

    private static void assertSameContent(JdbcMessageStore copy) {
        assertThat(msgids(copy.page("#lobby", Page.latest(5_000)))).isEqualTo(range(501, 2_500));
        assertThat(copy.lastMsgId("#lobby")).hasValue(2_500);
        assertThat(copy.contains("#lobby", 3)).as("pruned msgids stay known").isTrue();
        assertThat(copy.page("@alice|bob", Page.latest(10))).containsExactly(message("@alice|bob", 1, 1));
        assertThat(copy.mailbox("bob", 10)).containsExactly(message("@alice|bob", 1, 1));
        AccountStore accounts = copy.accounts().orElseThrow();
        assertThat(accounts.find("alice")).as("the account, its hash and that it is disabled")
                .contains(new AccountStore.Account("alice", "Alice", "pbkdf2$hash", true, Instant.ofEpochMilli(1_000)));
        assertThat(accounts.roles("#club")).isEqualTo(Map.of("alice", "owner"));
        assertThat(accounts.bans("#club")).as("a ban without an end keeps none").containsExactly(FOREVER, UNTIL_NOON);
        assertThat(accounts.settings("#club")).isEqualTo(Map.of("key", "s3cret"));
    }

    @Test
    @DisplayName("backup writes a consistent copy of a store in use, which opens as a store")
    void backup() {
        Path target = home.resolve("backup.db");
        StoreMaintenance.backup(url, target);
        await(store.append(message("#lobby", 2_501, 2_501)));

        try (JdbcMessageStore copy = JdbcMessageStore.open(StoreUrl.parse("jdbc:sqlite:backup.db", home), null, null,
                JdbcSettings.defaults())) {
            assertSameContent(copy);
        }
    }

    @Test
    @DisplayName("backup never overwrites a file, and refuses a PostgreSQL store")
    void backupRefuses() throws Exception {
        Path existing = Files.writeString(home.resolve("exists.db"), "keep me");
        assertThatThrownBy(() -> StoreMaintenance.backup(url, existing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists already");
        assertThat(existing).hasContent("keep me");

        assertThatThrownBy(() -> StoreMaintenance.backup(
                StoreUrl.parse("jdbc:postgresql://db/parley", home), home.resolve("pg.db")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pg_dump");
    }

    @Test
    @DisplayName("copy moves every conversation, message, numbering and mailbox into PostgreSQL")
    void copyToPostgres() {
        StoreUrl target = StoreUrl.parse(PostgresServer.shared().newDatabase(), home);
        try (JdbcMessageStore copy = JdbcMessageStore.open(target, "parley", null, JdbcSettings.defaults())) {
            StoreMaintenance.Copied copied = StoreMaintenance.copy(store, copy);

            assertThat(copied).isEqualTo(new StoreMaintenance.Copied(2, 2_001, 1, 1, 4));
            assertSameContent(copy);
            await(copy.append(message("#lobby", 2_501, 2_501)));
        }
    }

    @Test
    @DisplayName("copy refuses a target that holds messages")
    void copyRefusesFullTarget() {
        try (JdbcMessageStore other = JdbcMessageStore.open(StoreUrl.parse("jdbc:sqlite:other.db", home), null, null,
                JdbcSettings.defaults())) {
            await(other.append(message("#other", 1, 1)));
            assertThatThrownBy(() -> StoreMaintenance.copy(store, other))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds messages already");
            assertThat(msgids(other.page("#other", Page.latest(10)))).containsExactly(1L);
        }
    }

    @Test
    @DisplayName("copy refuses a target that holds accounts or room settings, though no messages")
    void copyRefusesTargetWithAccounts() {
        try (JdbcMessageStore other = JdbcMessageStore.open(StoreUrl.parse("jdbc:sqlite:other.db", home), null, null,
                JdbcSettings.defaults())) {
            other.accounts().orElseThrow().create(new AccountStore.Account("bob", "bob", "h", false, Instant.EPOCH));
            assertThatThrownBy(() -> StoreMaintenance.copy(store, other))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds accounts");
            assertThat(other.accounts().orElseThrow().find("alice")).isEmpty();
        }
    }
}
