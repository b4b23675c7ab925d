package dev.parley.launcher;

/**
 * Start-up cannot go on for a reason the operator can fix. The command prints {@code parley: <message>} on
 * one line, without a stack trace, and exits with {@link #exitCode()}.
 */
public final class LaunchException extends RuntimeException {
    /** Bad configuration, unknown plugin, plugins that do not fit together. */
    public static final int CONFIGURATION = 2;
    /** The environment failed us: the port is taken, a file cannot be read. */
    public static final int ENVIRONMENT = 1;

    private final int exitCode;

    public LaunchException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A configuration value is missing, mistyped or out of range; the message names the key. */
    public static LaunchException configuration(String message, Throwable cause) {
        return new LaunchException(CONFIGURATION, "configuration error: " + message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
