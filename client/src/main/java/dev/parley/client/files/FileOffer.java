package dev.parley.client.files;

import dev.parley.core.protocol.Frame;

/**
 * A file offered to us, from a {@code FILE <file-id> <from> <size> <sha256> :<name>} event or data line, or
 * from an {@code OFFERED} event with the same fields (an upload just started, which we may fetch as it
 * arrives).
 *
 * @param sha256 lower-case hex, or {@code -} in an {@code OFFERED} of an upload whose checksum comes at its
 *               end (the final {@code OK FETCH} carries it)
 * @param name the sender's display name as the server shows it: never a path (see {@link SafeFileNames})
 */
public record FileOffer(String id, String from, long size, String sha256, String name) {

    /** True when the checksum is not known yet: it comes with the final reply of the FETCH. */
    public boolean checksumAtEnd() {
        return "-".equals(sha256);
    }

    /** @throws IllegalArgumentException when the frame is not a well-formed {@code FILE} or {@code OFFERED} line */
    public static FileOffer from(Frame frame) {
        if (!(frame.verb().equals("FILE") || frame.verb().equals("OFFERED")) || frame.params().size() < 4) {
            throw new IllegalArgumentException("not a FILE line: " + frame);
        }
        long size;
        try {
            size = Long.parseLong(frame.param(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FILE with a size that is not a number: " + frame, e);
        }
        return new FileOffer(frame.param(0), frame.param(1), size, frame.param(3),
                frame.trailing() == null ? "" : frame.trailing());
    }
}
