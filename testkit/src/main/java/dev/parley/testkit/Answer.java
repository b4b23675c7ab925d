package dev.parley.testkit;

import java.util.List;

/**
 * Everything a client received up to and including a final reply: the command's data lines (and any events
 * that arrived meanwhile, since the wire does not tell them apart), then {@code OK ...} or {@code ERR ...}.
 *
 * @param lines the lines before the reply, in arrival order, as written on the wire (payloads left out)
 * @param reply the final reply line
 */
public record Answer(List<String> lines, String reply) {

    /** Copies the lines. */
    public Answer {
        lines = List.copyOf(lines);
    }

    /** True when the reply is {@code OK ...}. */
    public boolean isOk() {
        return reply.startsWith("OK ");
    }
}
