package dev.parley.chat.name;

import com.ibm.icu.text.SpoofChecker;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Session;
import java.util.Optional;

/**
 * When two nicks look alike: Unicode UTS #39 confusable skeletons, from ICU's {@link SpoofChecker}. Nicks
 * whose skeletons are equal would be mistaken for each other ({@code аlice} with a Cyrillic {@code а},
 * fullwidth {@code ａｌｉｃｅ}, mathematical {@code 𝐚lice}, and {@code alice}), so only one of them may be in
 * use, and none may resemble an account's name. Thread-safe: the checker is immutable once built.
 */
public final class Confusables {
    private static final SpoofChecker CHECKER = new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE)
            .build();

    private Confusables() {
    }

    /**
     * The skeleton of a name, case-folded first (so {@code ALICE} and {@code аlice} meet) and folded again
     * after (a skeleton may hold capitals, as {@code l} and {@code I} map to one of them).
     */
    public static String skeleton(String name) {
        return Name.fold(CHECKER.getSkeleton(Name.fold(name)));
    }

    /**
     * The account name the nick looks like (same skeleton) that the session is not authenticated as; the
     * exact name (a case variant) is {@link Accounts#mayTake}'s business.
     */
    public static Optional<String> resembledAccount(Accounts accounts, Session session, String nick) {
        String skeleton = skeleton(nick);
        for (String name : accounts.names()) {
            if (skeleton(name).equals(skeleton) && !session.account().filter(name::equals).isPresent()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
