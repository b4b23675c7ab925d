package dev.parley.core.spi.store;

import java.time.Instant;
import java.util.Objects;

/** A point in a conversation: a message's id, or a time. */
public sealed interface Ref {

    /** The message with this msgid; a time-ordered comparison uses its position. */
    record MsgId(long msgid) implements Ref {
        public MsgId {
            if (msgid < 1) {
                throw new IllegalArgumentException("a msgid is at least 1: " + msgid);
            }
        }
    }

    /**
     * A moment, to the millisecond. "Older than" a time means sent before it; "newer" means sent at or after
     * it, so that {@code AFTER <t>} includes a message sent exactly at {@code t}.
     */
    record At(Instant time) implements Ref {
        public At {
            Objects.requireNonNull(time, "time");
            time = Instant.ofEpochMilli(time.toEpochMilli());
        }
    }
}
