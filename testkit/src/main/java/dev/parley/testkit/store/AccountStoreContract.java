package dev.parley.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.AccountStore.Account;
import dev.parley.core.spi.store.AccountStore.Ban;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountStore} must do, as JUnit tests: a store's test class implements this interface and
 * {@link #accounts()}, returning the account store of a new empty store for each test. The memory store, SQLite
 * and PostgreSQL run these same tests.
 */
public interface AccountStoreContract {

    /** The store under test: empty at the start of each test. */
    AccountStore accounts();

    /** A time with whole milliseconds, as every store keeps them. */
    Instant T0 = Instant.parse("2026-12-07T10:00:00.123Z");

    @Test
    @DisplayName("accounts: created once per key, found with every field, password and disabled changed in place")
    default void accountLife() {
        AccountStore store = accounts();
        assertThat(store.create(new Account("alice", "Alice", "pbkdf2-sha256$1$a$b", false, T0))).isTrue();
        assertThat(store.create(new Account("alice", "ALICE", "other", true, T0))).isFalse();
        assertThat(store.find("alice")).contains(new Account("alice", "Alice", "pbkdf2-sha256$1$a$b", false, T0));
        assertThat(store.find("bob")).isEmpty();
        assertThat(store.changePassword("alice", "new-hash")).isTrue();
        assertThat(store.setDisabled("alice", true)).isTrue();
        assertThat(store.find("alice")).contains(new Account("alice", "Alice", "new-hash", true, T0));
        assertThat(store.setDisabled("alice", false)).isTrue();
        assertThat(store.find("alice").orElseThrow().disabled()).isFalse();
        assertThat(store.changePassword("bob", "h")).isFalse();
        assertThat(store.setDisabled("bob", true)).isFalse();
    }

    @Test
    @DisplayName("names: every account's name as spelt at creation, for comparing nicks with them")
    default void names() {
        AccountStore store = accounts();
        assertThat(store.names()).isEmpty();
        store.create(new Account("alice", "Alice", "h", false, T0));
        store.create(new Account("bob", "bob", "h", true, T0));
        assertThat(store.names()).containsExactlyInAnyOrder("Alice", "bob");
    }

    @Test
    @DisplayName("roles: set per room and account, replaced, removed with null")
    default void roles() {
        AccountStore store = accounts();
        store.setRole("#club", "alice", "owner");
        store.setRole("#club", "bob", "voice");
        store.setRole("#club", "bob", "op");
        store.setRole("#other", "carol", "op");
        store.setRole("#club", "dave", "voice");
        store.setRole("#club", "dave", null);
        store.setRole("#club", "nobody", null);
        assertThat(store.roles("#club")).isEqualTo(Map.of("alice", "owner", "bob", "op"));
        assertThat(store.roles("#other")).isEqualTo(Map.of("carol", "op"));
        assertThat(store.roles("#none")).isEmpty();
    }

    @Test
    @DisplayName("bans: oldest first, a replaced ban becomes the newest, expiry kept to the millisecond, lifted once")
    default void bans() {
        AccountStore store = accounts();
        store.ban(new Ban("#club", "account:mallory", "alice", null, "spam"));
        store.ban(new Ban("#club", "nick:troll", "bob", T0.plusSeconds(60), ""));
        store.ban(new Ban("#club", "addr:10.0.0.0/8", "alice", null, "range"));
        store.ban(new Ban("#club", "account:mallory", "bob", T0, "again"));
        store.ban(new Ban("#other", "nick:x", "carol", null, null));
        assertThat(store.bans("#club")).containsExactly(
                new Ban("#club", "nick:troll", "bob", T0.plusSeconds(60), ""),
                new Ban("#club", "addr:10.0.0.0/8", "alice", null, "range"),
                new Ban("#club", "account:mallory", "bob", T0, "again"));
        assertThat(store.bans("#other")).containsExactly(new Ban("#other", "nick:x", "carol", null, ""));
        assertThat(store.unban("#club", "nick:troll")).isTrue();
        assertThat(store.unban("#club", "nick:troll")).isFalse();
        assertThat(store.bans("#club")).extracting(Ban::target).containsExactly("addr:10.0.0.0/8", "account:mallory");
    }

    @Test
    @DisplayName("settings: set per room, replaced, removed with null")
    default void settings() {
        AccountStore store = accounts();
        store.set("#club", "key", "s3cret");
        store.set("#club", "moderated", "on");
        store.set("#club", "key", "other");
        store.set("#club", "moderated", null);
        store.set("#other", "guests", "off");
        assertThat(store.settings("#club")).isEqualTo(Map.of("key", "other"));
        assertThat(store.settings("#other")).isEqualTo(Map.of("guests", "off"));
        assertThat(store.settings("#none")).isEmpty();
    }
}
