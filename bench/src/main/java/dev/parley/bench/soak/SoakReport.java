package dev.parley.bench.soak;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checker found: the table (markdown), the number of violations of each kind ({@code lost},
 * {@code reordered}, {@code msgid reuse}, {@code session lost}) and up to 200 detail lines per kind, the
 * reported-only kinds (duplicates, messages run twice) included; and the disruptions by kind ({@code kill -9},
 * {@code SIGTERM}, {@code SIGSTOP}).
 */
public record SoakReport(String table, Map<String, Integer> violations, Map<String, List<String>> details,
                         Map<String, Integer> disruptions) {

    public SoakReport {
        violations = Collections.unmodifiableMap(new LinkedHashMap<>(violations));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        disruptions = Collections.unmodifiableMap(new LinkedHashMap<>(disruptions));
    }

    /** True when the run broke no rule. */
    public boolean passed() {
        return violations.isEmpty();
    }

    /** The table, the violation counts and their details, as printed at the end of a run. */
    public String text() {
        StringBuilder t = new StringBuilder(table);
        t.append(passed() ? "\nPASSED: no violations\n" : "\nFAILED: " + violations + "\n");
        details.forEach((kind, lines) -> {
            t.append("\n").append(kind).append(" (first ").append(lines.size()).append("):\n");
            lines.forEach(l -> t.append("  ").append(l).append('\n'));
        });
        return t.toString();
    }
}
