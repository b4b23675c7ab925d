package dev.parley.testkit;

import dev.parley.client.Reply;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import java.util.List;

/**
 * Everything a client received up to and including a final reply: the command's data lines (and any events
 * that arrived meanwhile, since the wire does not tell them apart), then {@code OK ...} or {@code ERR ...}.
 *
 * <p>The wire text, for assertions on exact lines. For the reply's parts ({@code code()}, {@code results()},
 * {@code text()}) take {@link #toReply()}: the client library's {@link Reply}, the one reply type of Parley's
 * clients.
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

    /**
     * The same answer as the client library's {@link Reply}: the final reply frame, and the lines before it as
     * its data (without payloads, which the wire text leaves out).
     */
    public Reply toReply() {
        try {
            return new Reply(FrameParser.parse(reply), lines.stream().map(Answer::frame).toList());
        } catch (ProtocolException e) {
            throw new IllegalStateException("not a reply: " + reply, e);
        }
    }

    private static Frame frame(String line) {
        try {
            return FrameParser.parse(line);
        } catch (ProtocolException e) {
            throw new IllegalStateException("not a line of the protocol: " + line, e);
        }
    }
}
