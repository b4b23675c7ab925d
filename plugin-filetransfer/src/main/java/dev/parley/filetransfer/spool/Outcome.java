package dev.parley.filetransfer.spool;

import dev.parley.core.protocol.ErrorCode;

/**
 * What a spool operation came to: a value, or an expected failure with its protocol code and a text that
 * says what to do next. I/O failures are exceptions instead.
 */
public record Outcome<T>(T value, ErrorCode error, String text) {

    public static <T> Outcome<T> ok(T value) {
        return new Outcome<>(value, null, null);
    }

    public static <T> Outcome<T> failed(ErrorCode error, String text) {
        return new Outcome<>(null, error, text);
    }

    public boolean isOk() {
        return error == null;
    }
}
