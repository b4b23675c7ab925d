package dev.parley.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.store.AccountStore.Account;
import dev.parley.core.spi.store.AccountStore.Ban;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MemoryAccountStoreTest {
    private final MemoryAccountStore store = new MemoryAccountStore();
    private final Instant t0 = Instant.parse("2026-12-07T05:00:00Z");

    @Test
    @DisplayName("an account is created once per key; password and disabled change in place")
    void accounts() {
        assertThat(store.create(new Account("alice", "Alice", "h1", false, t0))).isTrue();
        assertThat(store.create(new Account("alice", "ALICE", "h2", false, t0))).isFalse();
        assertThat(store.find("alice")).get().extracting(Account::name, Account::passwordHash).containsExactly("Alice", "h1");
        assertThat(store.changePassword("alice", "h3")).isTrue();
        assertThat(store.setDisabled("alice", true)).isTrue();
        assertThat(store.find("alice")).get().extracting(Account::passwordHash, Account::disabled).containsExactly("h3", true);
        assertThat(store.changePassword("bob", "h")).isFalse();
        assertThat(store.setDisabled("bob", true)).isFalse();
        assertThat(store.find("bob")).isEmpty();
    }

    @Test
    @DisplayName("roles, bans and settings are kept per room; null removes")
    void rooms() {
        store.setRole("#club", "alice", "owner");
        store.setRole("#club", "bob", "op");
        store.setRole("#club", "bob", null);
        assertThat(store.roles("#club")).containsExactly(java.util.Map.entry("alice", "owner"));
        assertThat(store.roles("#other")).isEmpty();
        store.ban(new Ban("#club", "account:mallory", "alice", null, "spam"));
        store.ban(new Ban("#club", "nick:eve", "alice", t0, null));
        store.ban(new Ban("#club", "account:mallory", "bob", t0.plusSeconds(60), "again"));
        assertThat(store.bans("#club")).extracting(Ban::target).containsExactly("nick:eve", "account:mallory");
        assertThat(store.bans("#club").get(1).holdsAt(t0)).isTrue();
        assertThat(store.bans("#club").get(0).holdsAt(t0)).isFalse();
        assertThat(store.unban("#club", "nick:eve")).isTrue();
        assertThat(store.unban("#club", "nick:eve")).isFalse();
        store.set("#club", "key", "s3cret");
        store.set("#club", "moderated", "on");
        store.set("#club", "key", null);
        assertThat(store.settings("#club")).containsExactly(java.util.Map.entry("moderated", "on"));
    }
}
