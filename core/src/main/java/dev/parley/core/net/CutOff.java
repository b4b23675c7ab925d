package dev.parley.core.net;

/** Why a transport cut a connection off with {@code BYE SLOW_CONSUMER} (see {@link InboundHandler#cutOff}). */
public enum CutOff {
    /** Its unread output passed {@code parley.limits.max-pending-bytes}. */
    MAX_PENDING,
    /** Its client accepted no bytes for {@code parley.limits.slow-consumer-timeout}. */
    TIMEOUT,
    /** The server was over {@code parley.limits.max-total-pending-bytes} and this connection held the most. */
    MEMORY_BUDGET
}
