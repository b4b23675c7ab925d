package dev.parley.core.spi.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One kept message, as the store holds it: enough to send again exactly the event that was sent.
 *
 * @param conversation the key of where it was said: a room's canonical name ({@code #lobby}) or a private
 *                     conversation's key (see {@link Conversations#direct})
 * @param msgid        the message's number within its conversation, at least 1, increasing, never reused
 * @param time         when the server accepted it, to the millisecond
 * @param sender       who said it, as displayed (a nick)
 * @param target       to whom, as displayed (the room's name, or the recipient's nick)
 * @param text         what was said
 */
public record StoredMessage(String conversation, long msgid, Instant time, String sender, String target, String text) {

    /** Validates the fields and truncates the time to milliseconds. */
    public StoredMessage {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(text, "text");
        if (conversation.isEmpty()) {
            throw new IllegalArgumentException("a conversation key is not empty");
        }
        if (msgid < 1) {
            throw new IllegalArgumentException("a msgid is at least 1: " + msgid);
        }
        time = Instant.ofEpochMilli(time.toEpochMilli());
    }
}
