package dev.parley.core.server;

/** Start-up cannot go on; the message says why in a sentence an operator can act on. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
