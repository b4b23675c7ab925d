package dev.parley.core.protocol;

/** The character classes of the line grammar in docs/protocol.md, in one place. */
final class Grammar {
    private Grammar() {
    }

    static boolean isVerb(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    static boolean isTagKey(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** Tag values may hold any printable character but space, ';' and '='. */
    static boolean isTagValue(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == ';' || c == '=' || isControl(c)) {
                return false;
            }
        }
        return true;
    }

    static boolean isParam(String s) {
        if (s == null || s.isEmpty() || s.charAt(0) == ':') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || isControl(c)) {
                return false;
            }
        }
        return true;
    }

    static boolean isTrailing(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** C0 controls but TAB, and DEL: never allowed inside a line (terminal escapes, NUL, bare CR). */
    static boolean isControl(char c) {
        return c < 0x20 && c != '\t' || c == 0x7f;
    }
}
