package dev.parley.core.protocol;

/**
 * Why the server closes a connection on its own; sent as {@code BYE <CODE> [:text]} right before closing.
 *
 * @param code UPPER_SNAKE reason
 */
public record ByeReason(String code) {
    public static final ByeReason SHUTDOWN = new ByeReason("SHUTDOWN");
    public static final ByeReason SERVER_FULL = new ByeReason("SERVER_FULL");
    public static final ByeReason SLOW_CONSUMER = new ByeReason("SLOW_CONSUMER");
    public static final ByeReason PROTOCOL = new ByeReason("PROTOCOL");
    public static final ByeReason TIMEOUT = new ByeReason("TIMEOUT");
    /** The client kept sending commands past its rate limit ({@code parley.limits.flood-disconnect-after}). */
    public static final ByeReason FLOOD = new ByeReason("FLOOD");
    /** Too many connections from the client's address ({@code parley.limits.max-connections-per-address}). */
    public static final ByeReason TOO_MANY_CONNECTIONS = new ByeReason("TOO_MANY_CONNECTIONS");

    public ByeReason {
        if (code == null || !code.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("BYE reasons are UPPER_SNAKE: " + code);
        }
    }

    /** The BYE frame for this reason, tagged {@code next=<host:port>}: the server the client resumes on. */
    public Frame frame(String text, String next) {
        Frame.Builder b = Frame.of("BYE").tag("next", next).param(code);
        if (text != null) {
            b.trailing(text);
        }
        return b.build();
    }

    /** The BYE frame for this reason. */
    public Frame frame(String text) {
        Frame.Builder b = Frame.of("BYE").param(code);
        if (text != null) {
            b.trailing(text);
        }
        return b.build();
    }
}
