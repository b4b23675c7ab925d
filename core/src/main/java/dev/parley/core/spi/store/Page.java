package dev.parley.core.spi.store;

import java.util.Objects;

/**
 * Which messages of a conversation to read, as {@code HISTORY} asks for them. Every page is returned oldest
 * first and holds at most {@link #limit()} messages.
 *
 * @param direction where the page lies relative to its references
 * @param from      the reference of {@code BEFORE}, {@code AFTER}, {@code AROUND}, the first of {@code BETWEEN};
 *                  null for {@code LATEST}
 * @param to        the second reference of {@code BETWEEN}; null otherwise
 * @param limit     the most messages to return, at least 1
 */
public record Page(Direction direction, Ref from, Ref to, int limit) {

    /** Where a page lies. */
    public enum Direction {
        /** The newest {@code limit} messages. */
        LATEST,
        /** The newest {@code limit} messages strictly older than {@code from}. */
        BEFORE,
        /** The oldest {@code limit} messages strictly newer than {@code from}. */
        AFTER,
        /**
         * About {@code limit} messages centred on {@code from}: up to {@code limit / 2} older ones, the
         * referenced message (or the first newer one for a time), then newer ones up to {@code limit}.
         */
        AROUND,
        /**
         * The oldest {@code limit} messages strictly newer than the older of {@code from} and {@code to} and
         * strictly older than the newer of them.
         */
        BETWEEN
    }

    /** Checks that the references fit the direction. */
    public Page {
        Objects.requireNonNull(direction, "direction");
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least 1 message: " + limit);
        }
        boolean needsFrom = direction != Direction.LATEST;
        boolean needsTo = direction == Direction.BETWEEN;
        if (needsFrom != (from != null) || needsTo != (to != null)) {
            throw new IllegalArgumentException(direction + " takes " + (needsTo ? "two references"
                    : needsFrom ? "one reference" : "no reference"));
        }
    }

    public static Page latest(int limit) {
        return new Page(Direction.LATEST, null, null, limit);
    }

    public static Page before(Ref ref, int limit) {
        return new Page(Direction.BEFORE, ref, null, limit);
    }

    public static Page after(Ref ref, int limit) {
        return new Page(Direction.AFTER, ref, null, limit);
    }

    public static Page around(Ref ref, int limit) {
        return new Page(Direction.AROUND, ref, null, limit);
    }

    public static Page between(Ref from, Ref to, int limit) {
        return new Page(Direction.BETWEEN, from, to, limit);
    }
}
