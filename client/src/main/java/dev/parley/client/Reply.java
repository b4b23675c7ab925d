package dev.parley.client;

import dev.parley.core.protocol.Frame;
import java.util.List;

/**
 * The answer to one command: its final reply ({@code OK ...} or {@code ERR ...}) and the data lines that
 * came before it (empty when they were streamed to a {@link DataLines} sink instead).
 *
 * @param frame the final reply
 * @param data  the command's data lines, in order
 */
public record Reply(Frame frame, List<Frame> data) {

    public Reply {
        if (!isFinal(frame)) {
            throw new IllegalArgumentException("not a final reply: " + frame);
        }
        data = List.copyOf(data);
    }

    /** True for the two verbs that end a command's answer. */
    public static boolean isFinal(Frame frame) {
        return frame.verb().equals("OK") || frame.verb().equals("ERR");
    }

    public boolean ok() {
        return frame.verb().equals("OK");
    }

    /** The error code of an {@code ERR} reply ({@code ERR <VERB> <CODE> :text}); null for {@code OK}. */
    public String code() {
        return ok() ? null : frame.param(1);
    }

    /** The parameters after the verb: for {@code OK JOIN #lobby} that is {@code [#lobby]}. */
    public List<String> results() {
        List<String> params = frame.params();
        return params.isEmpty() ? params : params.subList(ok() ? 1 : Math.min(2, params.size()), params.size());
    }

    /** The trailing text, or null. */
    public String text() {
        return frame.trailing();
    }

    /**
     * An error as a sentence for people: the server's text, first letter capitalised, then the code,
     * e.g. {@code You are not in #lobby; JOIN #lobby first (NOT_IN_ROOM)}.
     */
    public String sentence() {
        String text = text();
        if (text == null || text.isBlank()) {
            return (code() == null ? "refused" : "Refused") + " (" + code() + ")";
        }
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + " (" + code() + ")";
    }
}
