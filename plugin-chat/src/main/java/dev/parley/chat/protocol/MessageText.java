package dev.parley.chat.protocol;

import dev.parley.core.spi.Reply;

/** The rules every chat text (SAY, TELL, TOPIC) follows. */
public final class MessageText {
    private MessageText() {
    }

    /**
     * @param verb     the command, for the error sentence
     * @param maxBytes {@code parley.chat.max-message-bytes}
     * @return null when the text may be sent, else the error reply
     */
    public static Reply check(String verb, String text, int maxBytes) {
        if (text.isEmpty()) {
            return Reply.error(ChatErrors.BAD_ARGUMENT, "the text is empty; write it after ':', e.g. "
                    + verb + " ... :hello");
        }
        int bytes = utf8Length(text);
        if (bytes > maxBytes) {
            return Reply.error(ChatErrors.MESSAGE_TOO_LONG, "the text is " + bytes + " bytes in UTF-8; the limit is "
                    + maxBytes + ", so split it into shorter messages");
        }
        return null;
    }

    /** The length of the text in UTF-8, without encoding it (unpaired surrogates count as '?', one byte). */
    public static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
