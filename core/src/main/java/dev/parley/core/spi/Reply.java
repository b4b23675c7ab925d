package dev.parley.core.spi;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import java.util.List;

/**
 * The final reply to a command: {@code OK <VERB> [params] [:text]} or {@code ERR <VERB> <CODE> [:text]}.
 *
 * @param error  null for OK, else the error code
 * @param params OK parameters (empty for errors)
 * @param text   trailing text, or null
 */
public record Reply(ErrorCode error, List<String> params, String text) {

    /** Copies the parameters. */
    public Reply {
        params = List.copyOf(params);
    }

    /** {@code OK <VERB> [params]}; add a trailing text with {@link #withText}. */
    public static Reply ok(String... params) {
        return new Reply(null, List.of(params), null);
    }

    /** {@code OK <VERB> [params]}, from a list. */
    public static Reply ok(List<String> params) {
        return new Reply(null, params, null);
    }

    /** An error reply; the text should say what to do next, in a sentence. */
    public static Reply error(ErrorCode code, String text) {
        return new Reply(code, List.of(), text);
    }

    /** The same reply with a trailing text. */
    public Reply withText(String text) {
        return new Reply(error, params, text);
    }

    /** True for {@code OK}, false for {@code ERR}. */
    public boolean isOk() {
        return error == null;
    }

    /**
     * The reply as a frame for the command verb; carries {@code id} when the command did.
     *
     * @param id the command's {@code id} tag, or null
     */
    public Frame toFrame(String verb, String id) {
        Frame.Builder b = Frame.of(isOk() ? "OK" : "ERR").param(verb);
        if (id != null) {
            b.tag(Frame.TAG_ID, id);
        }
        if (isOk()) {
            b.params(params);
        } else {
            b.param(error.name());
        }
        if (text != null) {
            b.trailing(text);
        }
        return b.build();
    }
}
