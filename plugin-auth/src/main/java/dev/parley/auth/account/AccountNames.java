package dev.parley.auth.account;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The rules of account names, shared by the auth plugin and the launcher's {@code parley account add}: which
 * names are accepted, and the form under which names compare (the key an account store keeps them under).
 */
public final class AccountNames {
    /** The accepted form of an account name: the same as a chat nick's, so that it can be reserved as one. */
    public static final String FORM = "1 to 32 letters, digits, '_', '-' or '.'";

    private AccountNames() {
    }

    /** True when the name has the accepted form ({@link #FORM}). */
    public static boolean isValid(String name) {
        int count = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!(Character.isLetterOrDigit(cp) || cp == '_' || cp == '-' || cp == '.')) {
                return false;
            }
            count++;
            i += Character.charCount(cp);
        }
        return count >= 1 && count <= 32;
    }

    /** The form under which account names compare: NFC, case-folded as chat folds nicks. */
    public static String fold(String name) {
        String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
        return Normalizer.normalize(nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }
}
