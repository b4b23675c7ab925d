package dev.parley.auth;

import dev.parley.auth.password.PasswordHash;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.Session;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Core's {@link Accounts} over the users and operators of {@code parley.auth}, and password checks. */
final class ConfiguredAccounts implements Accounts {
    private final Map<String, PasswordHash> byFolded = new HashMap<>();
    private final Map<String, String> nameByFolded = new HashMap<>();
    private final Set<String> operators;
    private final Supplier<Optional<Directory>> directory;
    /** Checked for unknown users, so that they take as long as known ones and cannot be told apart. */
    private final PasswordHash decoy;

    /** @param directory the server's names, if a plugin (chat) provides them: nicks compare in its canonical form */
    ConfiguredAccounts(AuthSettings settings, Supplier<Optional<Directory>> directory) {
        settings.users().forEach((name, hash) -> {
            byFolded.put(AuthSettings.fold(name), hash);
            nameByFolded.put(AuthSettings.fold(name), name);
        });
        this.operators = settings.operators();
        this.directory = directory;
        int iterations = settings.users().values().stream().mapToInt(PasswordHash::iterations).max()
                .orElse(PasswordHash.MIN_ITERATIONS);
        this.decoy = PasswordHash.create("decoy".toCharArray(), iterations);
    }

    /**
     * Checks a user's password (the user compared case-insensitively); takes about as long for an unknown
     * user as for a known one.
     *
     * @return the account, spelt as configured, when the password is right
     */
    @Override
    public Optional<String> verify(String user, String password) {
        String key = AuthSettings.fold(user);
        PasswordHash hash = byFolded.get(key);
        if (hash == null) {
            decoy.verify(password);
            return Optional.empty();
        }
        return hash.verify(password) ? Optional.of(nameByFolded.get(key)) : Optional.empty();
    }

    @Override
    public Optional<String> owner(String name) {
        Optional<Directory> names = directory.get();
        if (names.isEmpty()) {
            return Optional.ofNullable(nameByFolded.get(AuthSettings.fold(name)));
        }
        String canonical = names.get().canonical(name);
        // A handful of accounts: comparing each in the directory's form keeps both plugins' rules in step.
        return nameByFolded.values().stream().filter(a -> names.get().canonical(a).equals(canonical)).findFirst();
    }

    @Override
    public boolean isOperatorAccount(String account) {
        return operators.contains(account);
    }

    @Override
    public Collection<String> names() {
        return List.copyOf(nameByFolded.values());
    }

    @Override
    public boolean isOperator(Session session) {
        return session.account().filter(operators::contains).isPresent();
    }
}
