package dev.parley.core.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One protocol frame: {@code [@tags SP] VERB *(SP param) [SP :trailing]} followed, when the {@code size}
 * tag says so, by a binary payload. Immutable; the verb is always upper case.
 *
 * @param tags     tags in the order they were written; a tag written without {@code =} has the value ""
 * @param verb     letters, digits, {@code .} and {@code _}; upper case
 * @param params   middle parameters: non-empty, no space, not starting with {@code :}
 * @param trailing the trailing parameter (may hold spaces or be empty), or null when absent
 * @param payload  the raw bytes after the line, or null when the frame has none
 */
public record Frame(Map<String, String> tags, String verb, List<String> params, String trailing, byte[] payload) {

    /** The tag a client puts on a command to find its final reply. */
    public static final String TAG_ID = "id";
    /** The tag announcing that exactly that many raw bytes follow the line. */
    public static final String TAG_SIZE = "size";

    public Frame {
        tags = tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!Grammar.isTagKey(tag.getKey()) || !Grammar.isTagValue(tag.getValue())) {
                throw new IllegalArgumentException("bad tag: " + tag.getKey() + "=" + tag.getValue());
            }
        }
        if (!Grammar.isVerb(verb)) {
            throw new IllegalArgumentException("bad verb: " + verb);
        }
        verb = verb.toUpperCase(Locale.ROOT);
        params = List.copyOf(params);
        for (String param : params) {
            if (!Grammar.isParam(param)) {
                throw new IllegalArgumentException("bad parameter: '" + param + "'");
            }
        }
        if (trailing != null && !Grammar.isTrailing(trailing)) {
            throw new IllegalArgumentException("line breaks or NUL in trailing parameter");
        }
    }

    /** Starts a frame with the given verb. */
    public static Builder of(String verb) {
        return new Builder(verb);
    }

    /** The value of a tag, or null when the frame does not carry it. */
    public String tag(String key) {
        return tags.get(key);
    }

    /** The parameter at index i, or null when there are fewer. */
    public String param(int i) {
        return i < params.size() ? params.get(i) : null;
    }

    /** Middle parameters followed by the trailing one, if any: what most commands read as their arguments. */
    public List<String> arguments() {
        if (trailing == null) {
            return params;
        }
        List<String> all = new ArrayList<>(params.size() + 1);
        all.addAll(params);
        all.add(trailing);
        return all;
    }

    /** A copy with one tag set (added at the end, or replaced in place). */
    public Frame withTag(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(tags);
        copy.put(key, value);
        return new Frame(copy, verb, params, trailing, payload);
    }

    /** The frame as it appears on the wire, without payload and line end; for logs and tests. */
    @Override
    public String toString() {
        return new String(FrameWriter.lineBytes(this), StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && tags.equals(f.tags) && verb.equals(f.verb) && params.equals(f.params)
                && Objects.equals(trailing, f.trailing) && java.util.Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tags, verb, params, trailing) * 31 + java.util.Arrays.hashCode(payload);
    }

    /** Builds frames fluently: {@code Frame.of("MSG").tag("msgid", "7").param("#room").trailing("hi").build()}. */
    public static final class Builder {
        private final String verb;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<String> params = new ArrayList<>(4);
        private String trailing;
        private byte[] payload;

        private Builder(String verb) {
            this.verb = verb;
        }

        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Builder param(String param) {
            params.add(param);
            return this;
        }

        public Builder params(String... more) {
            Collections.addAll(params, more);
            return this;
        }

        public Builder params(List<String> more) {
            params.addAll(more);
            return this;
        }

        public Builder trailing(String text) {
            this.trailing = text;
            return this;
        }

        /** Attaches a payload and sets the {@code size} tag to its length. */
        public Builder payload(byte[] bytes) {
            this.payload = bytes;
            tags.put(TAG_SIZE, Integer.toString(bytes.length));
            return this;
        }

        public Frame build() {
            return new Frame(tags, verb, params, trailing, payload);
        }
    }
}
