package dev.parley.chat.cluster;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.protocol.ProtocolException;

/**
 * How the chat's events travel between servers: as their protocol line (without LF), behind fields separated
 * by LF, which no protocol line contains. Strings only, so the cluster library never sees a chat class.
 */
final class Wire {
    private Wire() {
    }

    /** The frame as one protocol line, without its line end. */
    static String line(Frame frame) {
        String text = FrameWriter.encodeText(frame);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    static Frame parse(String line) {
        try {
            return FrameParser.parse(line);
        } catch (ProtocolException e) {
            throw new IllegalStateException("a cluster peer sent a frame this server cannot read: " + line, e);
        }
    }

    /** The fields of a message, the last one keeping any further separators. */
    static String[] fields(String message, int count) {
        return message.split("\n", count);
    }

    static String join(Object... fields) {
        StringBuilder b = new StringBuilder();
        for (Object field : fields) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(field);
        }
        return b.toString();
    }
}
