package dev.parley.launcher.client.chat;

import static dev.parley.launcher.client.display.SafeText.escape;

import dev.parley.core.protocol.Frame;
import dev.parley.launcher.client.display.ByteSizes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How {@code parley chat} shows things: {@code HH:mm [#room] nick: text} for messages,
 * {@code *nick* whispers: text} for whispers, {@code -!- ...} for notices, {@code ! ...} for errors.
 * Every string from the network goes through {@link dev.parley.launcher.client.display.SafeText}.
 */
public class ChatFormat {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY_HH_MM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Clock clock;
    private final ZoneId zone;
    /** Errors formatted so far: a piped chat's exit code says whether anything it was told to do failed. */
    private final java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();

    public ChatFormat(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    /** The local clock and time zone. */
    public static ChatFormat system() {
        return new ChatFormat(Clock.systemDefaultZone(), ZoneId.systemDefault());
    }

    /**
     * A server event (or a {@code HISTORY} data line) as one line.
     *
     * @return the line, or null for events shown elsewhere ({@code BYE} ends the session with its own line)
     */
    public String event(Frame frame) {
        return switch (frame.verb()) {
            case "MSG" -> stamp(frame) + "[" + arg(frame, 0) + "] " + arg(frame, 1) + ": " + escape(frame.trailing());
            case "WHISPER" -> stamp(frame) + "*" + arg(frame, 0) + "* whispers: " + escape(frame.trailing());
            case "JOINED" -> notice(arg(frame, 1) + " joined " + arg(frame, 0));
            case "LEFT" -> notice(arg(frame, 1) + " left " + arg(frame, 0) + reason(frame.trailing()));
            case "RENAMED" -> notice(arg(frame, 0) + " is now known as " + arg(frame, 1));
            case "TOPIC" -> notice(frame.trailing() == null || frame.trailing().isEmpty()
                    ? arg(frame, 1) + " cleared the topic of " + arg(frame, 0)
                    : arg(frame, 1) + " changed the topic of " + arg(frame, 0) + " to: " + escape(frame.trailing()));
            case "FILE" -> notice(arg(frame, 1) + " offers you " + quoted(frame.trailing()) + " ("
                    + size(frame.param(2)) + "); download it with /get " + arg(frame, 0));
            case "OFFERED" -> notice(arg(frame, 1) + " is sending you " + quoted(frame.trailing()) + " ("
                    + size(frame.param(2)) + "); you will be told when it can be downloaded");
            case "BYE" -> null;
            default -> notice("server: " + escape(frame.toString()));
        };
    }

    /** {@code HH:mm -!- text}: something that happened, not a message. */
    public String notice(String text) {
        return now() + "-!- " + text;
    }

    /** {@code ! text}: what went wrong, as a sentence. */
    public String error(String sentence) {
        errors.incrementAndGet();
        return "! " + escape(sentence);
    }

    /** How many {@link #error} lines were made: refusals by the server and lines that were no valid command. */
    public int errors() {
        return errors.get();
    }

    /**
     * Whether one's own messages and whispers are shown once the server accepted them even when not on a
     * terminal: for --json, where every reply is a line.
     */
    public boolean confirmsSent() {
        return false;
    }

    /** One's own message as others see it, so the screen reads like a transcript. */
    public String ownMessage(String room, String nick, String text) {
        return now() + "[" + escape(room) + "] " + escape(nick) + ": " + escape(text);
    }

    /** One's own whisper. */
    public String ownWhisper(String nick, String text) {
        return now() + "-> *" + escape(nick) + "*: " + escape(text);
    }

    /** The message's own time (its date too when it is not today's): history and stored whispers are older. */
    private String stamp(Frame frame) {
        String time = frame.tag("time");
        if (time != null) {
            try {
                ZonedDateTime sent = Instant.parse(time).atZone(zone);
                boolean today = sent.toLocalDate().equals(clock.instant().atZone(zone).toLocalDate());
                return (today ? HH_MM.format(sent) : DAY_HH_MM.format(sent)) + " ";
            } catch (DateTimeParseException e) {
                // shown with our clock instead
            }
        }
        return now();
    }

    private String now() {
        return HH_MM.format(clock.instant().atZone(zone)) + " ";
    }

    private static String arg(Frame frame, int i) {
        String value = frame.param(i);
        return value == null ? "?" : escape(value);
    }

    private static String reason(String reason) {
        return reason == null || reason.isEmpty() ? "" : " (" + escape(reason) + ")";
    }

    private static String quoted(String name) {
        return "'" + escape(name) + "'";
    }

    private static String size(String bytes) {
        try {
            return ByteSizes.format(Long.parseLong(bytes));
        } catch (NumberFormatException e) {
            return escape(bytes) + " bytes";
        }
    }
}
