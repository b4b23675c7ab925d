package dev.parley.core.spi.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps accounts people create and the moderation state of rooms, durably where the store is. Thread-safe; every
 * method may block briefly on I/O, so callers are worker threads, never I/O threads. A write has happened (is
 * durable) when the method returns.
 *
 * <p>Names are given twice where they are created: a {@code key} under which names compare (the caller's
 * canonical form, e.g. case-folded) and the name as spelt. Lookups take keys. The store knows no password scheme:
 * it keeps the encoded hash the auth plugin hands it.
 *
 * <p>Found by plugins with {@code PluginContext.lookup(AccountStore.class)} when answering, never in
 * {@code start}; the server offers one when its message store has one ({@link MessageStore#accounts()}).
 *
 * <p>Failures: {@link StoreUnavailableException} when the store cannot serve now; nothing was changed.
 */
public interface AccountStore {

    /**
     * An account.
     *
     * @param key          the name in its compared form
     * @param name         as spelt at creation
     * @param passwordHash the encoded salted hash, as the auth plugin made it
     * @param disabled     whether it was disabled by an operator
     * @param created      when it was created
     */
    record Account(String key, String name, String passwordHash, boolean disabled, Instant created) {
        public Account {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(passwordHash, "passwordHash");
            Objects.requireNonNull(created, "created");
        }
    }

    /**
     * A ban in a room.
     *
     * @param room    the room's key
     * @param target  what is banned, e.g. {@code account:alice}, {@code nick:bob}, {@code addr:10.0.0.0/8}
     * @param by      who banned (an account or nick)
     * @param expires when the ban lifts by itself, or null for never
     * @param reason  free text, possibly empty
     */
    record Ban(String room, String target, String by, Instant expires, String reason) {
        public Ban {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(by, "by");
            reason = reason == null ? "" : reason;
        }

        /** True when the ban still holds at that instant. */
        public boolean holdsAt(Instant now) {
            return expires == null || now.isBefore(expires);
        }
    }

    /** Creates the account unless one with that key exists; returns false in that case. */
    boolean create(Account account);

    /** The account with that key. */
    Optional<Account> find(String key);

    /**
     * The names of every account, as spelt at creation, in no particular order: for comparing a new nick with
     * each (lookalike names). Empty by default (a store that cannot list its accounts).
     *
     * @since SPI 1.4
     */
    default List<String> names() {
        return List.of();
    }

    /** Replaces the account's password hash; false when there is no such account. */
    boolean changePassword(String key, String passwordHash);

    /** Disables or re-enables the account; false when there is no such account. */
    boolean setDisabled(String key, boolean disabled);

    /** Each account key with a role in the room to that role ({@code owner}, {@code op}, {@code voice}). */
    Map<String, String> roles(String room);

    /** Gives the account a role in the room, or takes its role away when {@code role} is null. */
    void setRole(String room, String account, String role);

    /** The room's bans, those expired included until {@link #unban} or pruning removes them; oldest first. */
    List<Ban> bans(String room);

    /** Adds a ban, replacing one on the same target in the same room. */
    void ban(Ban ban);

    /** Lifts a ban; false when there was none on that target. */
    boolean unban(String room, String target);

    /** The room's settings by name; a setting never set is absent. */
    Map<String, String> settings(String room);

    /** Sets a room setting, or removes it when {@code value} is null. */
    void set(String room, String setting, String value);
}
