package dev.parley.core.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Encodes frames into wire bytes: the line, LF, then the payload if any. */
public final class FrameWriter {
    private FrameWriter() {
    }

    /** The complete wire form of a frame, ready to be written (and shared by every recipient). */
    public static byte[] encode(Frame frame) {
        byte[] line = lineBytes(frame);
        byte[] payload = frame.payload();
        int payloadLength = payload == null ? 0 : payload.length;
        byte[] out = new byte[line.length + 1 + payloadLength];
        System.arraycopy(line, 0, out, 0, line.length);
        out[line.length] = '\n';
        if (payloadLength > 0) {
            System.arraycopy(payload, 0, out, line.length + 1, payloadLength);
        }
        return out;
    }

    /** The line of a frame without its LF and payload. */
    static byte[] lineBytes(Frame frame) {
        StringBuilder sb = new StringBuilder(64);
        Map<String, String> tags = frame.tags();
        if (!tags.isEmpty()) {
            sb.append('@');
            boolean first = true;
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (!first) {
                    sb.append(';');
                }
                first = false;
                sb.append(tag.getKey());
                if (!tag.getValue().isEmpty()) {
                    sb.append('=').append(tag.getValue());
                }
            }
            sb.append(' ');
        }
        sb.append(frame.verb());
        List<String> params = frame.params();
        for (int i = 0; i < params.size(); i++) {
            sb.append(' ').append(params.get(i));
        }
        if (frame.trailing() != null) {
            sb.append(" :").append(frame.trailing());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Utility for tests and clients: the wire bytes of several frames back to back. */
    public static byte[] encodeAll(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(encode(f));
        }
        return out.toByteArray();
    }

    /** Convenience for text-only frames in tests and tools. */
    public static String encodeText(Frame frame) {
        return new String(encode(frame), StandardCharsets.UTF_8);
    }
}
