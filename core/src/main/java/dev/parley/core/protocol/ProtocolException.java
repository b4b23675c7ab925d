package dev.parley.core.protocol;

/** A line that cannot be turned into a frame; carries the code the server answers with ({@code ERR * CODE}). */
public final class ProtocolException extends Exception {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
