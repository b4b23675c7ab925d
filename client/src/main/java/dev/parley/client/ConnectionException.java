package dev.parley.client;

import java.io.IOException;

/** The connection could not be made or broke; the message is a sentence for people, without a prefix. */
public final class ConnectionException extends IOException {
    private final String byeCode;

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
        this.byeCode = null;
    }

    public ConnectionException(String message) {
        this(message, (String) null);
    }

    /** The server said {@code BYE <byeCode>} before closing. */
    public ConnectionException(String message, String byeCode) {
        super(message);
        this.byeCode = byeCode;
    }

    /** The code of the server's {@code BYE} ({@code SHUTDOWN}, {@code TIMEOUT}, ...), or null when it sent none. */
    public String byeCode() {
        return byeCode;
    }
}
