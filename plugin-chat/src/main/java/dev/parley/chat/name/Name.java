package dev.parley.chat.name;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * A nick or room name as shown ({@code display}, NFC) and as compared ({@code key}, case-folded NFC).
 * Two names denote the same nick or room exactly when their keys are equal.
 *
 * @param display the name in NFC, as the client wrote it ({@code #} included for rooms)
 * @param key     the canonical form: NFC, then case-folded ({@code #} included for rooms)
 */
public record Name(String display, String key) {

    /** The most characters (code points) of a nick, or of a room name after its {@code #}. */
    public static final int MAX_LENGTH = 32;

    /** The accepted form of a nick, as a sentence for error replies and documentation. */
    public static final String NICK_FORM =
            "a nick is 1 to " + MAX_LENGTH + " letters, digits, '_', '-' or '.'";

    /** The accepted form of a room name, as a sentence for error replies and documentation. */
    public static final String ROOM_FORM =
            "a room name is '#' followed by 1 to " + MAX_LENGTH + " letters, digits, '_', '-' or '.'";

    /** The nick the raw text denotes, or empty when it does not follow {@link #NICK_FORM}. */
    public static Optional<Name> nick(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        return isWord(nfc) ? Optional.of(new Name(nfc, sameIfEqual(fold(nfc), nfc))) : Optional.empty();
    }

    /** The room the raw text denotes, or empty when it does not follow {@link #ROOM_FORM}. */
    public static Optional<Name> room(String raw) {
        if (raw == null || !raw.startsWith("#")) {
            return Optional.empty();
        }
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        String word = nfc.substring(1);
        return isWord(word) ? Optional.of(new Name(nfc, sameIfEqual("#" + fold(word), nfc))) : Optional.empty();
    }

    /** A name already in folded form (the usual case) keeps one string for both forms, not two equal ones. */
    private static String sameIfEqual(String key, String display) {
        return key.equals(display) ? display : key;
    }

    /**
     * The canonical form of any text under which names compare: NFC, then upper then lower case in the root
     * locale (a close approximation of Unicode full case folding: {@code ß} and {@code SS} fold alike),
     * then NFC again because case mapping may decompose.
     */
    public static String fold(String text) {
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        String folded = nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFC);
    }

    private static boolean isWord(String s) {
        int count = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!(Character.isLetterOrDigit(cp) || cp == '_' || cp == '-' || cp == '.')) {
                return false;
            }
            count++;
            i += Character.charCount(cp);
        }
        return count >= 1 && count <= MAX_LENGTH;
    }
}
