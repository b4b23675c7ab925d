package dev.parley.chat;

import dev.parley.chat.name.Name;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Session;
import java.util.Optional;
import java.util.Set;

/** Core's Accounts as the auth plugin would provide them: a fixed set of accounts, some operators. */
public record TestAccounts(Set<String> accounts, Set<String> operators) implements Accounts {

    @Override
    public Optional<String> owner(String name) {
        return accounts.stream().filter(a -> Name.fold(a).equals(Name.fold(name))).findFirst();
    }

    @Override
    public java.util.Collection<String> names() {
        return accounts;
    }

    @Override
    public boolean isOperator(Session session) {
        return session.account().filter(operators::contains).isPresent();
    }

    /** Authenticates the client's session as the account, as AUTH would. */
    public static ChatHarness.Client as(ChatHarness.Client client, String account) {
        client.session().authenticate(account);
        return client;
    }
}
