package dev.parley.bench.soak;

/**
 * One disruption as it happened: when (seconds into the run), which node, what, and how long the node was away
 * (until it listened again, or until SIGCONT).
 */
record Disruption(double at, int node, Kind kind, double awaySeconds, String note) {

    enum Kind {
        KILL9("kill -9", "kill"), SIGTERM("SIGTERM", "term"), FREEZE("SIGSTOP", "stop");

        final String label;
        /** As {@code --kinds} names it. */
        final String option;

        Kind(String label, String option) {
            this.label = label;
            this.option = option;
        }
    }

    String line() {
        return String.format(java.util.Locale.ROOT, "%7.1fs node %d %-8s away %5.1fs%s", at, node + 1, kind.label,
                awaySeconds, note.isEmpty() ? "" : "  " + note);
    }
}
