package dev.parley.bench.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one run: ordered key/value pairs, printed once as {@code RESULT {json}} for scripts (one
 * flat JSON object on one line; keys are lower_snake, values strings, whole numbers or decimals) and as
 * aligned lines for people.
 */
public final class Result {
    /** Scripts find the machine-readable line by this prefix. */
    public static final String PREFIX = "RESULT ";

    private final Map<String, Object> values = new LinkedHashMap<>();

    public Result put(String key, Object value) {
        if (!key.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("result keys are lower_snake: " + key);
        }
        if (!(value instanceof String || value instanceof Long || value instanceof Integer
                || value instanceof Double || value instanceof Boolean)) {
            throw new IllegalArgumentException("unsupported value for " + key + ": " + value);
        }
        values.put(key, value);
        return this;
    }

    public Object get(String key) {
        return values.get(key);
    }

    /** {@code RESULT {"scenario":"fanout","deliveries_per_s":123456.7,...}}. */
    public String line() {
        StringBuilder sb = new StringBuilder(PREFIX).append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":").append(json(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** One {@code key  value} line per pair, for the terminal. */
    public String summary() {
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", k, text(v))));
        return sb.toString();
    }

    private static String text(Object value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value);
    }

    static String json(Object value) {
        if (value instanceof String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "null";
            }
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(value);
    }
}
