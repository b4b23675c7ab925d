package dev.parley.filetransfer.harness;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Reply;
import java.util.List;

/**
 * What a command came back with: the final reply as it would be written, and the data lines before it.
 *
 * @param line the final reply frame, e.g. {@code OK OFFER <id> 0}
 */
public record Answer(Reply reply, Frame line, List<Frame> data) {

    /** The reply's wire form, e.g. {@code "ERR CHUNK BAD_OFFSET :expected offset 0; ..."}. */
    @Override
    public String toString() {
        return line.toString();
    }

    public boolean isOk() {
        return reply.isOk();
    }

    /** The error code, or null for OK. */
    public String code() {
        return reply.isOk() ? null : reply.error().name();
    }

    public String param(int i) {
        return reply.params().get(i);
    }
}
