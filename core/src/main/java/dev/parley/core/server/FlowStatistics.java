package dev.parley.core.server;

import java.util.Optional;

/** Read-only flow-control counters of a running server, in total and per session (for metrics and tests). */
public interface FlowStatistics {

    /** Totals since the server started, sessions that ended included. */
    FlowCounts totals();

    /** One open session's counters, or empty when no session has that id. */
    Optional<FlowCounts> session(long sessionId);
}
