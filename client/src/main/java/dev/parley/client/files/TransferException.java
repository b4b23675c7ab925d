package dev.parley.client.files;

/** A file could not be sent or received; the message is a sentence for people. */
public final class TransferException extends Exception {

    public TransferException(String message, Throwable cause) {
        super(message, cause);
    }

    public TransferException(String message) {
        super(message);
    }
}
