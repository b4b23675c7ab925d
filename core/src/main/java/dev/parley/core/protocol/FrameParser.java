package dev.parley.core.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one line (already stripped of CR LF and decoded from UTF-8) into a frame without payload.
 * A single pass over the characters: no regular expressions, no splitting beyond the grammar's own.
 */
public final class FrameParser {
    private FrameParser() {
    }

    /**
     * @return the frame, or null for an empty or blank line (ignored, so telnet users can press Enter)
     * @throws ProtocolException with {@link ErrorCode#BAD_SYNTAX} when the line breaks the grammar
     */
    public static Frame parse(String line) throws ProtocolException {
        int n = line.length();
        for (int i = 0; i < n; i++) {
            if (Grammar.isControl(line.charAt(i))) {
                throw new ProtocolException(ErrorCode.BAD_SYNTAX,
                        String.format("control character U+%04X in line", (int) line.charAt(i)));
            }
        }
        int pos = skipSpaces(line, 0);
        if (pos == n) {
            return null;
        }
        Map<String, String> tags = Map.of();
        if (line.charAt(pos) == '@') {
            int end = line.indexOf(' ', pos);
            if (end < 0) {
                throw new ProtocolException(ErrorCode.BAD_SYNTAX, "tags without a verb");
            }
            tags = parseTags(line, pos + 1, end);
            pos = skipSpaces(line, end);
        }
        int verbEnd = indexOfSpace(line, pos);
        String verb = line.substring(pos, verbEnd);
        if (!Grammar.isVerb(verb)) {
            throw new ProtocolException(ErrorCode.BAD_SYNTAX,
                    "a verb is letters, digits, '.' and '_': '" + verb + "'");
        }
        List<String> params = new ArrayList<>(4);
        String trailing = null;
        pos = skipSpaces(line, verbEnd);
        while (pos < n) {
            if (line.charAt(pos) == ':') {
                trailing = line.substring(pos + 1);
                break;
            }
            int end = indexOfSpace(line, pos);
            params.add(line.substring(pos, end));
            pos = skipSpaces(line, end);
        }
        try {
            return new Frame(tags, verb, params, trailing, null);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SYNTAX, e.getMessage());
        }
    }

    /** The declared payload size of a frame: 0 when it has no size tag. */
    public static long payloadSize(Frame frame) throws ProtocolException {
        String size = frame.tag(Frame.TAG_SIZE);
        if (size == null) {
            return 0;
        }
        if (size.isEmpty() || size.length() > 18) {
            throw new ProtocolException(ErrorCode.BAD_SYNTAX, "size must be a whole number of bytes: '" + size + "'");
        }
        long value = 0;
        for (int i = 0; i < size.length(); i++) {
            char c = size.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException(ErrorCode.BAD_SYNTAX, "size must be a whole number of bytes: '" + size + "'");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Map<String, String> parseTags(String line, int from, int to) throws ProtocolException {
        if (from == to) {
            throw new ProtocolException(ErrorCode.BAD_SYNTAX, "empty tag list after '@'");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        int pos = from;
        while (pos <= to) {
            int semi = line.indexOf(';', pos);
            int end = semi < 0 || semi > to ? to : semi;
            int eq = line.indexOf('=', pos);
            String key;
            String value;
            if (eq >= 0 && eq < end) {
                key = line.substring(pos, eq);
                value = line.substring(eq + 1, end);
            } else {
                key = line.substring(pos, end);
                value = "";
            }
            if (!Grammar.isTagKey(key) || !Grammar.isTagValue(value)) {
                throw new ProtocolException(ErrorCode.BAD_SYNTAX, "malformed tag '" + line.substring(pos, end) + "'");
            }
            if (tags.put(key, value) != null) {
                throw new ProtocolException(ErrorCode.BAD_SYNTAX, "tag '" + key + "' given twice");
            }
            pos = end + 1;
        }
        return tags;
    }

    private static int skipSpaces(String s, int pos) {
        while (pos < s.length() && s.charAt(pos) == ' ') {
            pos++;
        }
        return pos;
    }

    private static int indexOfSpace(String s, int pos) {
        int i = s.indexOf(' ', pos);
        return i < 0 ? s.length() : i;
    }
}
