package dev.parley.chat.history;

import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.Ref;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a {@code HISTORY} command asks for after its target: {@code [n]}, {@code LATEST [n]},
 * {@code BEFORE|AFTER|AROUND <ref> [n]} or {@code BETWEEN <ref> <ref> [n]}, where {@code <ref>} is a msgid or an
 * RFC 3339 UTC time and {@code n} is capped by the page size.
 */
public final class HistoryQuery {
    /** The forms, for error messages. */
    public static final String FORMS = "[n], LATEST [n], BEFORE <ref> [n], AFTER <ref> [n], AROUND <ref> [n] or"
            + " BETWEEN <ref> <ref> [n], where <ref> is a msgid or a UTC time like 2026-12-07T10:00:00Z";

    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    private static final Pattern MSGID = Pattern.compile("[0-9]{1,18}");
    /** RFC 3339 in UTC: date, T, time with optional fraction, Z. */
    private static final Pattern TIME =
            Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?[Zz]");

    private HistoryQuery() {
    }

    /** A parsed query: the page to read, or why the arguments are not one. */
    public record Parsed(Page page, String error) {
        /** The msgid references of the page, which must name messages the conversation had. */
        public List<Long> msgids() {
            List<Long> ids = new ArrayList<>(2);
            for (Ref ref : new Ref[] {page.from(), page.to()}) {
                if (ref instanceof Ref.MsgId id) {
                    ids.add(id.msgid());
                }
            }
            return ids;
        }
    }

    /**
     * @param args     the arguments after the target
     * @param pageSize {@code parley.chat.history-page}: the default and largest n
     */
    public static Parsed parse(List<String> args, int pageSize) {
        if (args.isEmpty()) {
            return ok(Page.latest(pageSize));
        }
        String first = args.get(0);
        if (args.size() == 1 && COUNT.matcher(first).matches()) {
            return count(first, pageSize, Page::latest);
        }
        String direction = first.toUpperCase(Locale.ROOT);
        int refs = switch (direction) {
            case "LATEST" -> 0;
            case "BEFORE", "AFTER", "AROUND" -> 1;
            case "BETWEEN" -> 2;
            default -> -1;
        };
        if (refs < 0) {
            return error("'" + first + "' is not a count or a direction");
        }
        if (args.size() < 1 + refs || args.size() > 2 + refs) {
            return error(direction + " takes " + (refs == 0 ? "no reference" : refs == 1 ? "one reference"
                    : "two references") + " and an optional count");
        }
        Ref[] parsed = new Ref[refs];
        for (int i = 0; i < refs; i++) {
            parsed[i] = ref(args.get(1 + i));
            if (parsed[i] == null) {
                return error("'" + args.get(1 + i) + "' is not a msgid or a UTC time like 2026-12-07T10:00:00Z");
            }
        }
        String n = args.size() == 2 + refs ? args.get(1 + refs) : Integer.toString(pageSize);
        return count(n, pageSize, limit -> switch (direction) {
            case "LATEST" -> Page.latest(limit);
            case "BEFORE" -> Page.before(parsed[0], limit);
            case "AFTER" -> Page.after(parsed[0], limit);
            case "AROUND" -> Page.around(parsed[0], limit);
            default -> Page.between(parsed[0], parsed[1], limit);
        });
    }

    /** A msgid ({@code 1} and up) or an RFC 3339 UTC time; null when it is neither. */
    static Ref ref(String text) {
        if (MSGID.matcher(text).matches()) {
            long id = Long.parseLong(text);
            return id >= 1 ? new Ref.MsgId(id) : null;
        }
        if (TIME.matcher(text).matches()) {
            try {
                return new Ref.At(Instant.parse(text.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                return null; // a date like 2026-02-30
            }
        }
        return null;
    }

    private static Parsed count(String n, int pageSize, java.util.function.IntFunction<Page> page) {
        if (!COUNT.matcher(n).matches() || Integer.parseInt(n) < 1) {
            return error("'" + n + "' is not a count from 1 to " + pageSize);
        }
        return ok(page.apply(Math.min(Integer.parseInt(n), pageSize)));
    }

    private static Parsed ok(Page page) {
        return new Parsed(page, null);
    }

    private static Parsed error(String why) {
        return new Parsed(null, why);
    }
}
