package dev.parley.core.store;

import dev.parley.core.spi.store.AccountStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link AccountStore} in memory, for {@code memory:} stores and tests: gone when the server stops. */
public final class MemoryAccountStore implements AccountStore {
    /** Guarded by this, as are the maps below. */
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Map<String, String>> roles = new HashMap<>();
    private final Map<String, Map<String, Ban>> bans = new HashMap<>();
    private final Map<String, Map<String, String>> settings = new HashMap<>();

    @Override
    public synchronized boolean create(Account account) {
        return accounts.putIfAbsent(account.key(), account) == null;
    }

    @Override
    public synchronized Optional<Account> find(String key) {
        return Optional.ofNullable(accounts.get(key));
    }

    @Override
    public synchronized List<String> names() {
        return accounts.values().stream().map(Account::name).toList();
    }

    @Override
    public synchronized boolean changePassword(String key, String passwordHash) {
        Account a = accounts.get(key);
        if (a == null) {
            return false;
        }
        accounts.put(key, new Account(a.key(), a.name(), passwordHash, a.disabled(), a.created()));
        return true;
    }

    @Override
    public synchronized boolean setDisabled(String key, boolean disabled) {
        Account a = accounts.get(key);
        if (a == null) {
            return false;
        }
        accounts.put(key, new Account(a.key(), a.name(), a.passwordHash(), disabled, a.created()));
        return true;
    }

    @Override
    public synchronized Map<String, String> roles(String room) {
        return Map.copyOf(roles.getOrDefault(room, Map.of()));
    }

    @Override
    public synchronized void setRole(String room, String account, String role) {
        put(roles, room, account, role);
    }

    @Override
    public synchronized List<Ban> bans(String room) {
        return new ArrayList<>(bans.getOrDefault(room, Map.of()).values());
    }

    @Override
    public synchronized void ban(Ban ban) {
        Map<String, Ban> room = bans.computeIfAbsent(ban.room(), r -> new LinkedHashMap<>());
        room.remove(ban.target()); // a replaced ban is the newest
        room.put(ban.target(), ban);
    }

    @Override
    public synchronized boolean unban(String room, String target) {
        Map<String, Ban> of = bans.get(room);
        return of != null && of.remove(target) != null;
    }

    @Override
    public synchronized Map<String, String> settings(String room) {
        return Map.copyOf(settings.getOrDefault(room, Map.of()));
    }

    @Override
    public synchronized void set(String room, String setting, String value) {
        put(settings, room, setting, value);
    }

    private static void put(Map<String, Map<String, String>> maps, String room, String key, String value) {
        if (value == null) {
            Map<String, String> of = maps.get(room);
            if (of != null) {
                of.remove(key);
            }
        } else {
            maps.computeIfAbsent(room, r -> new LinkedHashMap<>()).put(key, value);
        }
    }
}
