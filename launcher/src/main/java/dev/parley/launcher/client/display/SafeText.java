package dev.parley.launcher.client.display;

/**
 * Makes text from the network safe to print: no character that a terminal would act on reaches it.
 * C0 controls and DEL are shown in caret notation ({@code ESC} as {@code ^[}), C1 controls and the
 * bidirectional overrides that could disguise a line as {@code \u009b} or {@code \u202e}; TAB stays.
 */
public final class SafeText {
    private SafeText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                if (replacement != null) {
                    sb.append(replacement);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static String replacement(char c) {
        if (c == '\t') {
            return null;
        }
        if (c < 0x20) {
            return "^" + (char) (c + 0x40);
        }
        if (c == 0x7f) {
            return "^?";
        }
        if (c >= 0x80 && c <= 0x9f || isBidiControl(c)) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }

    private static boolean isBidiControl(char c) {
        return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }
}
