package dev.parley.launcher.client.chat;

import dev.parley.core.protocol.Frame;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code parley chat --json}: every line on stdout is one JSON object, for scripts and bots.
 * <ul>
 *   <li>{@code {"type":"event","verb":"MSG","params":["#lobby","bob"],"text":"hi","tags":{"msgid":"3",...}}}:
 *       a server event (or a line of {@code HISTORY}), as the server sent it;</li>
 *   <li>{@code {"type":"ok","text":"You joined #lobby","time":"..."}}: a command's success, or another notice;</li>
 *   <li>{@code {"type":"error","code":"NOT_IN_ROOM","text":"..."}}: a refusal (code when the server gave one),
 *       or a line that was no valid command;</li>
 *   <li>{@code {"type":"sent","to":"#lobby","nick":"cli","text":"hello"}}: one's own message or whisper.</li>
 * </ul>
 * Texts are as the server sent them, JSON-escaped (control characters included).
 */
final class JsonChatFormat extends ChatFormat {
    /** The code at the end of a server's sentence: {@code ... (NOT_IN_ROOM)}. */
    private static final Pattern CODE = Pattern.compile("\\(([A-Z][A-Z0-9_]*)\\)$");

    private final Clock clock;

    JsonChatFormat(Clock clock) {
        super(clock, ZoneOffset.UTC);
        this.clock = clock;
    }

    static JsonChatFormat utc() {
        return new JsonChatFormat(Clock.systemUTC());
    }

    @Override
    public String event(Frame frame) {
        if (frame.verb().equals("BYE")) {
            return null; // the session ends with its own line, as without --json
        }
        return Json.object("type", "event", "verb", frame.verb(), "params", frame.params(), "text", frame.trailing(),
                "tags", frame.tags().isEmpty() ? null : frame.tags());
    }

    @Override
    public String notice(String text) {
        return Json.object("type", "ok", "text", text, "time", clock.instant().toString());
    }

    @Override
    public String error(String sentence) {
        super.error(sentence); // counted for the exit code
        Matcher code = CODE.matcher(sentence);
        return Json.object("type", "error", "code", code.find() ? code.group(1) : null, "text", sentence);
    }

    @Override
    public boolean confirmsSent() {
        return true;
    }

    @Override
    public String ownMessage(String room, String nick, String text) {
        return Json.object("type", "sent", "to", room, "nick", nick, "text", text);
    }

    @Override
    public String ownWhisper(String nick, String text) {
        return Json.object("type", "sent", "to", nick, "text", text);
    }
}
