package dev.parley.testkit;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads what a server writes: LF-ended UTF-8 lines, each followed by its payload when it has a size tag. */
final class WireDecoder {
    private final InputStream in;

    WireDecoder(InputStream in) {
        this.in = in;
    }

    /** The next frame (with its payload, if any), or null at the end of the stream. */
    Frame next() throws IOException {
        while (true) {
            String line = readLine();
            if (line == null) {
                return null;
            }
            Frame frame;
            try {
                frame = FrameParser.parse(line);
            } catch (ProtocolException e) {
                throw new IOException("the server wrote a line that breaks the grammar: '" + line + "': " + e.getMessage(), e);
            }
            if (frame == null) {
                continue;
            }
            long size;
            try {
                size = FrameParser.payloadSize(frame);
            } catch (ProtocolException e) {
                throw new IOException("the server wrote a bad size tag: '" + line + "'", e);
            }
            if (frame.tag(Frame.TAG_SIZE) == null) {
                return frame;
            }
            byte[] payload = in.readNBytes(Math.toIntExact(size));
            if (payload.length < size) {
                throw new EOFException("the stream ended inside the payload of '" + line + "'");
            }
            return new Frame(frame.tags(), frame.verb(), frame.params(), frame.trailing(), payload);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
