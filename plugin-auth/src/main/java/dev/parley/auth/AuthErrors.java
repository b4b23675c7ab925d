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
    /** A new password is shorter than {@code parley.auth.min-password-length}. */
    static final ErrorCode WEAK_PASSWORD = new ErrorCode("WEAK_PASSWORD");
    /** REGISTER of a name an account (configured or created) has already. */
    static final ErrorCode ACCOUNT_EXISTS = new ErrorCode("ACCOUNT_EXISTS");
    /** The right password, but an operator disabled the account. */
    static final ErrorCode ACCOUNT_DISABLED = new ErrorCode("ACCOUNT_DISABLED");
    /** DISABLE or ENABLE of a name no created account has. */
    static final ErrorCode NO_SUCH_ACCOUNT = new ErrorCode("NO_SUCH_ACCOUNT");
    /** The server keeps no created accounts (its store offers none). */
    static final ErrorCode NOT_AVAILABLE = new ErrorCode("NOT_AVAILABLE");
    /** Core's code for a command that needs an authenticated session (PASSWORD). */
    static final ErrorCode NOT_AUTHENTICATED = ErrorCode.NOT_AUTHENTICATED;
    /** Core's code for a missing or malformed argument. */
    static final ErrorCode BAD_ARGUMENT = ErrorCode.BAD_ARGUMENT;
}
