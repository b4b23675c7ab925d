package dev.parley.core.protocol;

/**
 * A stable, machine-readable error code: UPPER_SNAKE, part of the protocol. Plugins declare their own
 * constants the same way ({@code new ErrorCode("NOT_IN_ROOM")}); the ones here are core's.
 *
 * @param name the code as written on the wire
 */
public record ErrorCode(String name) {

    /** No loaded plugin offers the verb. */
    public static final ErrorCode UNKNOWN_COMMAND = new ErrorCode("UNKNOWN_COMMAND");
    /** The handler failed unexpectedly; the server logged it and the session goes on. */
    public static final ErrorCode INTERNAL = new ErrorCode("INTERNAL");
    /** The line does not follow the grammar: bad verb, malformed tag, control character, bad size. */
    public static final ErrorCode BAD_SYNTAX = new ErrorCode("BAD_SYNTAX");
    /** The line is not valid UTF-8. */
    public static final ErrorCode BAD_ENCODING = new ErrorCode("BAD_ENCODING");
    /** The line was longer than {@code parley.limits.max-line-bytes}; it was discarded. */
    public static final ErrorCode LINE_TOO_LONG = new ErrorCode("LINE_TOO_LONG");
    /** The {@code size} tag exceeded {@code parley.limits.max-payload-bytes}. */
    public static final ErrorCode PAYLOAD_TOO_LARGE = new ErrorCode("PAYLOAD_TOO_LARGE");
    /** The command needs a registered session (a nick) first. */
    public static final ErrorCode NOT_REGISTERED = new ErrorCode("NOT_REGISTERED");
    /** Authentication is mandatory on this server and the command needs it first ({@code AUTH}). */
    public static final ErrorCode NOT_AUTHENTICATED = new ErrorCode("NOT_AUTHENTICATED");
    /**
     * The session sent commands faster than {@code parley.limits.commands-per-second} allows (beyond its burst);
     * the command was not run.
     */
    public static final ErrorCode RATE_LIMITED = new ErrorCode("RATE_LIMITED");
    /** A parameter is missing or malformed. */
    public static final ErrorCode BAD_ARGUMENT = new ErrorCode("BAD_ARGUMENT");
    /**
     * Cluster only: the command needed the rest of the cluster and this server could not reach a majority of it
     * in time (a partition, members stopping or stalled); the client may try again in a few seconds.
     */
    public static final ErrorCode CLUSTER_UNAVAILABLE = new ErrorCode("CLUSTER_UNAVAILABLE");

    public ErrorCode {
        if (name == null || !name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("error codes are UPPER_SNAKE: " + name);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
