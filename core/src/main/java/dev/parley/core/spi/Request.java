package dev.parley.core.spi;

import dev.parley.core.protocol.Frame;
import java.util.List;

/** One command as the handler sees it: who sent it, what it says, and a way to send data lines. */
public interface Request {

    /** The session that sent the command. */
    Session session();

    /** The command frame as received (tags, params, trailing, payload). */
    Frame frame();

    /** Shortcut: middle params followed by the trailing param, if any. */
    default List<String> arguments() {
        return frame().arguments();
    }

    /** Shortcut: the argument at index i (trailing included), or null when there are fewer. */
    default String argument(int i) {
        List<String> args = arguments();
        return i < args.size() ? args.get(i) : null;
    }

    /**
     * Sends a data line that belongs to this command's answer (e.g. {@code MEMBER} lines before
     * {@code OK WHO}). Data lines go out before the final reply and, unlike events, are never replayed.
     */
    void data(Frame line);
}
