package dev.parley.core.spi.store;

import java.util.Objects;

/** The conversation keys that every user of a store agrees on. */
public final class Conversations {
    private Conversations() {
    }

    /**
     * The key of the private conversation between two accounts, the same whichever of them is first:
     * {@code @a|b} with the two canonical account names in order. A key that starts with {@code @} is never a
     * room's (rooms start with {@code #}).
     */
    public static String direct(String account, String otherAccount) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(otherAccount, "otherAccount");
        return account.compareTo(otherAccount) <= 0
                ? "@" + account + "|" + otherAccount
                : "@" + otherAccount + "|" + account;
    }
}
