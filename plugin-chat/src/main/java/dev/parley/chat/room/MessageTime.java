package dev.parley.chat.room;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code time} tag of a room message, {@code 2026-11-24T23:59:01.123Z}: ISO-8601 in UTC with milliseconds.
 * {@link DateTimeFormatter} costs a few hundred bytes of garbage per call; a room formats one per message, so
 * the date and time up to the second is formatted once per second and only the milliseconds per message.
 */
final class MessageTime {
    private static final DateTimeFormatter TO_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

    /** The second last formatted and its text; replaced whole, so readers need no lock. */
    private record Second(long epochSecond, String prefix) {
    }

    private volatile Second last = new Second(Long.MIN_VALUE, "");

    String format(Instant instant) {
        long second = instant.getEpochSecond();
        Second cached = last;
        if (cached.epochSecond() != second) {
            cached = new Second(second, TO_SECONDS.format(instant));
            last = cached;
        }
        int millis = instant.getNano() / 1_000_000;
        char[] text = new char[cached.prefix().length() + 4];
        cached.prefix().getChars(0, cached.prefix().length(), text, 0);
        int at = cached.prefix().length();
        text[at] = (char) ('0' + millis / 100);
        text[at + 1] = (char) ('0' + millis / 10 % 10);
        text[at + 2] = (char) ('0' + millis % 10);
        text[at + 3] = 'Z';
        return new String(text);
    }
}
