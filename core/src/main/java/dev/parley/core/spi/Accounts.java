package dev.parley.core.spi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The server's accounts, as far as other plugins need them: which names accounts reserve and which
 * sessions act for operators. The plugin that authenticates sessions (auth) provides it with
 * {@link PluginContext#provide}; others (chat's {@code NICK} and {@code KICK}) find it with
 * {@link PluginContext#lookup} when answering, never in {@code start}. Without a provider no name is
 * reserved and nobody is an operator.
 */
public interface Accounts {

    /**
     * The account that reserves the name, compared in the canonical form of the server's
     * {@link Directory} (so {@code Alice} and {@code alice} are the same name), as {@link Session#account()}
     * would give it; empty when no account has that name.
     */
    Optional<String> owner(String name);

    /**
     * Every account's name, as {@link #owner} gives it: a plugin that refuses names resembling an account's
     * (chat's lookalike nicks) compares against them. Empty by default.
     */
    default Collection<String> names() {
        return List.of();
    }

    /** True when some account has the name. */
    default boolean isReserved(String name) {
        return owner(name).isPresent();
    }

    /** True when the session may take the name: no account reserves it, or the session is that account. */
    default boolean mayTake(Session session, String name) {
        return owner(name).map(owner -> session.account().filter(owner::equals).isPresent()).orElse(true);
    }

    /** True when the session is authenticated as an account the server's operators list. */
    boolean isOperator(Session session);

    /**
     * Checks an account's password outside a session, for logins such as the web admin API's HTTP Basic. Takes
     * about as long for an unknown account as for a known one. The default knows no passwords.
     *
     * @return the account, spelt as configured, when the password is right
     */
    default Optional<String> verify(String account, String password) {
        return Optional.empty();
    }

    /** True when the account (as {@link #verify} returns it) is one of the server's operators. */
    default boolean isOperatorAccount(String account) {
        return false;
    }

    /**
     * True when anyone may create an account for themselves ({@code REGISTER} before authenticating), so that a
     * client such as the browser one can offer it. False by default.
     *
     * @since SPI 1.4
     */
    default boolean selfRegistration() {
        return false;
    }
}
