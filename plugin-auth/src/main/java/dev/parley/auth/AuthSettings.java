package dev.parley.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URL;
import dev.parley.auth.account.AccountNames;
import dev.parley.auth.password.PasswordHash;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The auth plugin's settings, read once at start-up from {@code parley.auth} (see this module's
 * reference.conf for what each means).
 *
 * @param users         account name (as configured) to its password hash
 * @param operators     account names, spelt as in {@code users}, of the operators
 * @param required      whether every command but a few needs AUTH first
 * @param maxFailures   failed AUTHs per remote address within the window before TOO_MANY_ATTEMPTS
 * @param failureWindow how long failures count, from an address's first one
 * @param failureDelay  how long the answer to a failed AUTH is held back
 * @param openRegistration     whether anyone may create an account with REGISTER (else operators only)
 * @param minPasswordLength    characters a new password needs at least
 * @param registrationsPerHour accounts one remote address may create per hour
 */
public record AuthSettings(Map<String, PasswordHash> users, Set<String> operators, boolean required,
                           int maxFailures, Duration failureWindow, Duration failureDelay,
                           boolean openRegistration, int minPasswordLength, int registrationsPerHour) {

    /** Settings without account creation, as before {@code REGISTER}: for tests of the rest. */
    public AuthSettings(Map<String, PasswordHash> users, Set<String> operators, boolean required,
                        int maxFailures, Duration failureWindow, Duration failureDelay) {
        this(users, operators, required, maxFailures, failureWindow, failureDelay, false, 8, 10);
    }

    /** The accepted form of an account name: the same as a chat nick's, so that it can be reserved as one. */
    static final String NAME_FORM = AccountNames.FORM;

    public AuthSettings {
        users = Map.copyOf(users);
        operators = Set.copyOf(operators);
        require(maxFailures >= 1, "parley.auth.max-failures must be at least 1");
        require(!failureWindow.isNegative() && !failureWindow.isZero(), "parley.auth.failure-window must be positive");
        require(!failureDelay.isNegative() && failureDelay.compareTo(Duration.ofMinutes(1)) <= 0,
                "parley.auth.failure-delay must be from 0 to 1 minute");
        require(!required || !users.isEmpty() || openRegistration,
                "parley.auth.required is true but parley.auth.users is empty and parley.auth.registration is"
                        + " closed: nobody could do anything");
        require(minPasswordLength >= 1 && minPasswordLength <= 1024,
                "parley.auth.min-password-length must be from 1 to 1024");
        require(registrationsPerHour >= 1, "parley.auth.registrations-per-hour must be at least 1");
        for (String op : operators) {
            require(users.containsKey(op), "parley.auth.operators names '" + op + "', who is not in parley.auth.users");
        }
    }

    /**
     * This module's own reference.conf, parsed once: {@code parseResources} parses and merges every module's
     * (a tenth of the server's start when every plugin does it). On a class path, where the
     * name may find another module's file first, every module's is parsed.
     */
    private static final Config REFERENCE = ownReference();

    private static Config ownReference() {
        URL own = AuthSettings.class.getResource("/reference.conf");
        Config parsed = own == null ? ConfigFactory.empty() : ConfigFactory.parseURL(own);
        return (parsed.hasPath("parley.auth") ? parsed : ConfigFactory.parseResources(AuthSettings.class, "/reference.conf"))
                .getConfig("parley.auth");
    }

    /**
     * Reads the plugin's section ({@code parley.auth}), filling gaps from reference.conf.
     *
     * @throws IllegalArgumentException naming the key (and the user, for a bad hash)
     */
    public static AuthSettings from(Config section) {
        Config reference = REFERENCE;
        for (String key : section.root().keySet().stream().sorted().toList()) {
            require(reference.root().containsKey(key), "parley.auth." + key
                    + " is not an auth setting; the settings are "
                    + String.join(", ", reference.root().keySet().stream().sorted().toList()));
        }
        Config config = section.withFallback(reference);
        try {
            config.checkValid(reference);
            Map<String, PasswordHash> users = users(config.getObject("users"));
            Set<String> operators = new LinkedHashSet<>();
            for (String op : config.getStringList("operators")) {
                String account = users.keySet().stream().filter(u -> fold(u).equals(fold(op))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("parley.auth.operators names '" + op
                                + "', who is not in parley.auth.users"));
                operators.add(account);
            }
            String registration = config.getString("registration");
            require(registration.equals("open") || registration.equals("closed"),
                    "parley.auth.registration must be open or closed, not '" + registration + "'");
            return new AuthSettings(users, operators, config.getBoolean("required"), config.getInt("max-failures"),
                    config.getDuration("failure-window"), config.getDuration("failure-delay"),
                    registration.equals("open"), config.getInt("min-password-length"),
                    config.getInt("registrations-per-hour"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad auth setting under parley.auth: " + e.getMessage(), e);
        }
    }

    /** The form under which account names compare (see {@link AccountNames#fold}). */
    static String fold(String name) {
        return AccountNames.fold(name);
    }

    private static Map<String, PasswordHash> users(com.typesafe.config.ConfigObject object) {
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        Map<String, String> folded = new LinkedHashMap<>();
        for (String name : object.keySet().stream().sorted().toList()) {
            String key = "parley.auth.users." + name;
            require(isName(name), key + ": a user name is " + NAME_FORM);
            String clash = folded.putIfAbsent(fold(name), name);
            require(clash == null, key + ": the same user as " + clash + " (names compare case-insensitively)");
            ConfigValue value = object.get(name);
            require(value.valueType() == ConfigValueType.STRING, key + " must be a password hash in quotes, as"
                    + " `parley hash-password` prints it");
            PasswordHash hash;
            try {
                hash = PasswordHash.parse((String) value.unwrapped());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " is not a password hash as `parley hash-password` prints"
                        + " it: " + e.getMessage(), e);
            }
            require(hash.iterations() >= PasswordHash.MIN_ITERATIONS, key + ": the hash has " + hash.iterations()
                    + " iterations, fewer than " + PasswordHash.MIN_ITERATIONS + "; make a new one with"
                    + " `parley hash-password`");
            users.put(name, hash);
        }
        return users;
    }

    static boolean isName(String s) {
        return AccountNames.isValid(s);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
