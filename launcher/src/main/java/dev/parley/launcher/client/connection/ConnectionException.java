package dev.parley.launcher.client.connection;

import java.io.IOException;

/** The connection could not be made or broke; the message is a sentence for people, without a prefix. */
public final class ConnectionException extends IOException {

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    public ConnectionException(String message) {
        super(message);
    }
}
