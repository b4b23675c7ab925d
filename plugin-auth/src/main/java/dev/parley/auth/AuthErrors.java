package dev.parley.auth;

import dev.parley.core.protocol.ErrorCode;

/** Every error code the auth plugin answers with; docs/protocol.md lists the same. */
final class AuthErrors {
    private AuthErrors() {
    }

    /** Unknown user or wrong password: deliberately the same answer for both. */
    static final ErrorCode BAD_CREDENTIALS = new ErrorCode("BAD_CREDENTIALS");
    /** The remote address failed AUTH {@code max-failures} times within {@code failure-window}. */
    static final ErrorCode TOO_MANY_ATTEMPTS = new ErrorCode("TOO_MANY_ATTEMPTS");
    /** The session is authenticated already; an account holds for the session's life. */
    static final ErrorCode ALREADY_AUTHENTICATED = new ErrorCode("ALREADY_AUTHENTICATED");
    /** The command is for operators (ANNOUNCE). */
    static final ErrorCode NOT_PERMITTED = new ErrorCode("NOT_PERMITTED");
    /** Core's code for a missing or malformed argument. */
    static final ErrorCode BAD_ARGUMENT = ErrorCode.BAD_ARGUMENT;
}
