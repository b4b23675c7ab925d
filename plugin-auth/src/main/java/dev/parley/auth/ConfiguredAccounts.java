package dev.parley.auth;

import dev.parley.auth.password.PasswordHash;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.AccountStore.Account;
import dev.parley.core.spi.store.StoreUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Core's {@link Accounts} over two sources, and password checks: the users of {@code parley.auth.users}
 * (read-only: changed by editing the configuration) and the accounts created with {@code REGISTER} or
 * {@code parley account add}, kept in the server's {@link AccountStore}. A configured user shadows a stored
 * account of the same name, and creating one with a configured name is refused.
 */
final class ConfiguredAccounts implements Accounts {
    /** What {@link #create} did. */
    enum Creation { CREATED, EXISTS, NO_STORE }

    /** What a change to a stored account did. */
    enum Change { CHANGED, NO_SUCH_ACCOUNT, READ_ONLY, WRONG_PASSWORD, NO_STORE }

    private final Map<String, PasswordHash> byFolded = new HashMap<>();
    private final Map<String, String> nameByFolded = new HashMap<>();
    private final Set<String> operators;
    private final Supplier<Optional<Directory>> directory;
    private final Supplier<Optional<AccountStore>> store;
    private final Clock clock;
    private final boolean selfRegistration;
    /** Checked for unknown users, so that they take as long as known ones and cannot be told apart. */
    private final PasswordHash decoy;

    ConfiguredAccounts(AuthSettings settings, Supplier<Optional<Directory>> directory) {
        this(settings, directory, Optional::empty, Clock.systemUTC());
    }

    /**
     * @param directory the server's names, if a plugin (chat) provides them: nicks compare in its canonical form
     * @param store     the server's account store, if it has one: asked on each use, as lookups are
     */
    ConfiguredAccounts(AuthSettings settings, Supplier<Optional<Directory>> directory,
                       Supplier<Optional<AccountStore>> store, Clock clock) {
        settings.users().forEach((name, hash) -> {
            byFolded.put(AuthSettings.fold(name), hash);
            nameByFolded.put(AuthSettings.fold(name), name);
        });
        this.operators = settings.operators();
        this.directory = directory;
        this.store = store;
        this.clock = clock;
        this.selfRegistration = settings.openRegistration();
        int iterations = settings.users().values().stream().mapToInt(PasswordHash::iterations).max()
                .orElse(PasswordHash.MIN_ITERATIONS);
        this.decoy = PasswordHash.create("decoy".toCharArray(), iterations);
    }

    /**
     * Checks a user's password (the user compared case-insensitively); takes about as long for an unknown
     * user as for a known one.
     *
     * @return the account, spelt as configured or created, when the password is right (disabled or not)
     */
    @Override
    public Optional<String> verify(String user, String password) {
        String key = AuthSettings.fold(user);
        PasswordHash hash = byFolded.get(key);
        if (hash != null) {
            return hash.verify(password) ? Optional.of(nameByFolded.get(key)) : Optional.empty();
        }
        Optional<Account> stored = stored(key);
        if (stored.isEmpty()) {
            decoy.verify(password);
            return Optional.empty();
        }
        return PasswordHash.parse(stored.get().passwordHash()).verify(password)
                ? Optional.of(stored.get().name()) : Optional.empty();
    }

    /** True when the account is a stored one an operator disabled. */
    boolean isDisabled(String account) {
        String key = AuthSettings.fold(account);
        return !byFolded.containsKey(key) && stored(key).filter(Account::disabled).isPresent();
    }

    /** Whether a store keeps created accounts (without one, REGISTER and PASSWORD cannot work). */
    boolean hasStore() {
        return store.get().isPresent();
    }

    /** Creates a stored account unless the name is taken (configured or stored, compared folded). */
    Creation create(String name, char[] password) {
        Optional<AccountStore> accounts = store.get();
        if (accounts.isEmpty()) {
            return Creation.NO_STORE;
        }
        String key = AuthSettings.fold(name);
        if (byFolded.containsKey(key) || accounts.get().find(key).isPresent()) {
            return Creation.EXISTS;
        }
        String hash = PasswordHash.create(password).toString();
        boolean created = accounts.get().create(new Account(key, name, hash, false, clock.instant()));
        return created ? Creation.CREATED : Creation.EXISTS;
    }

    /** Changes a stored account's password, when {@code current} is its password now. */
    Change changePassword(String account, String current, char[] replacement) {
        String key = AuthSettings.fold(account);
        if (byFolded.containsKey(key)) {
            return Change.READ_ONLY;
        }
        Optional<AccountStore> accounts = store.get();
        if (accounts.isEmpty()) {
            return Change.NO_STORE;
        }
        Optional<Account> stored = accounts.get().find(key);
        if (stored.isEmpty()) {
            return Change.NO_SUCH_ACCOUNT;
        }
        if (!PasswordHash.parse(stored.get().passwordHash()).verify(current)) {
            return Change.WRONG_PASSWORD;
        }
        accounts.get().changePassword(key, PasswordHash.create(replacement).toString());
        return Change.CHANGED;
    }

    /** Disables or re-enables a stored account. */
    Change setDisabled(String account, boolean disabled) {
        String key = AuthSettings.fold(account);
        if (byFolded.containsKey(key)) {
            return Change.READ_ONLY;
        }
        Optional<AccountStore> accounts = store.get();
        if (accounts.isEmpty()) {
            return Change.NO_STORE;
        }
        return accounts.get().setDisabled(key, disabled) ? Change.CHANGED : Change.NO_SUCH_ACCOUNT;
    }

    /** The account's name as spelt, configured or stored. */
    Optional<String> spelling(String account) {
        String key = AuthSettings.fold(account);
        String configured = nameByFolded.get(key);
        return configured != null ? Optional.of(configured) : stored(key).map(Account::name);
    }

    @Override
    public Optional<String> owner(String name) {
        Optional<Directory> names = directory.get();
        if (names.isEmpty()) {
            return spelling(name);
        }
        String canonical = names.get().canonical(name);
        // A handful of configured accounts: comparing each in the directory's form keeps both plugins' rules in step.
        Optional<String> configured = nameByFolded.values().stream()
                .filter(a -> names.get().canonical(a).equals(canonical)).findFirst();
        return configured.isPresent() ? configured : stored(AuthSettings.fold(name)).map(Account::name);
    }

    @Override
    public boolean selfRegistration() {
        return selfRegistration;
    }

    @Override
    public boolean isOperatorAccount(String account) {
        return operators.contains(account);
    }

    @Override
    public Collection<String> names() {
        List<String> names = new ArrayList<>(nameByFolded.values());
        try {
            store.get().ifPresent(accounts -> accounts.names().stream()
                    .filter(name -> !nameByFolded.containsKey(AuthSettings.fold(name))).forEach(names::add));
        } catch (StoreUnavailableException e) {
            // The created accounts' exact names stay reserved through owner(); only their lookalikes pass meanwhile.
        }
        return names;
    }

    @Override
    public boolean isOperator(Session session) {
        return session.account().filter(operators::contains).isPresent();
    }

    private Optional<Account> stored(String key) {
        return store.get().flatMap(accounts -> accounts.find(key));
    }
}
