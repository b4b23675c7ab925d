package dev.parley.chat.protocol;

import dev.parley.core.protocol.ErrorCode;

/** Every error code the chat plugin answers with, in one place; docs/protocol.md lists the same. */
public final class ChatErrors {
    private ChatErrors() {
    }

    /** A nick or room name does not follow the accepted form. */
    public static final ErrorCode BAD_NAME = new ErrorCode("BAD_NAME");
    /** Another session holds the nick (compared case-insensitively, after NFC). */
    public static final ErrorCode NICK_IN_USE = new ErrorCode("NICK_IN_USE");
    /** The nick is an account's name (see core's {@code Accounts}) and the session is not that account. */
    public static final ErrorCode NICK_RESERVED = new ErrorCode("NICK_RESERVED");
    /** The command is for operators (KICK) and the session is not authenticated as one. */
    public static final ErrorCode NOT_PERMITTED = new ErrorCode("NOT_PERMITTED");
    /** No session holds the nick. */
    public static final ErrorCode NO_SUCH_NICK = new ErrorCode("NO_SUCH_NICK");
    /** No room of that name exists (it has no members). */
    public static final ErrorCode NO_SUCH_ROOM = new ErrorCode("NO_SUCH_ROOM");
    /** The command needs the session to be a member of the room. */
    public static final ErrorCode NOT_IN_ROOM = new ErrorCode("NOT_IN_ROOM");
    /** The session is in {@code parley.chat.max-rooms-per-session} rooms already. */
    public static final ErrorCode TOO_MANY_ROOMS = new ErrorCode("TOO_MANY_ROOMS");
    /** The text is longer than {@code parley.chat.max-message-bytes} in UTF-8. */
    public static final ErrorCode MESSAGE_TOO_LONG = new ErrorCode("MESSAGE_TOO_LONG");
    /** The message store cannot keep the message now (disk full, database unreachable); nothing was sent. */
    public static final ErrorCode STORE_UNAVAILABLE = new ErrorCode("STORE_UNAVAILABLE");
    /** HISTORY names a msgid the conversation never had. */
    public static final ErrorCode NO_SUCH_MESSAGE = new ErrorCode("NO_SUCH_MESSAGE");
    /** The offline account's mailbox holds {@code parley.store.max-offline-messages} already. */
    public static final ErrorCode MAILBOX_FULL = new ErrorCode("MAILBOX_FULL");
    /** CLAIM of a room that has an owner. */
    public static final ErrorCode ALREADY_OWNED = new ErrorCode("ALREADY_OWNED");
    /** JOIN of a room that bans the session (its account, nick or address). */
    public static final ErrorCode BANNED = new ErrorCode("BANNED");
    /** JOIN within parley.chat.kick-rejoin-delay of being kicked from the room. */
    public static final ErrorCode KICKED = new ErrorCode("KICKED");
    /** GRANT or BAN names an account the server does not have. */
    public static final ErrorCode NO_SUCH_ACCOUNT = new ErrorCode("NO_SUCH_ACCOUNT");
    /** JOIN of a room with a key, without it or with a wrong one. */
    public static final ErrorCode BAD_KEY = new ErrorCode("BAD_KEY");
    /** JOIN of an invite-only room without an INVITE. */
    public static final ErrorCode INVITE_ONLY = new ErrorCode("INVITE_ONLY");
    /** SAY in a moderated room without voice. */
    public static final ErrorCode MODERATED = new ErrorCode("MODERATED");
    /** UNBAN of a target the room does not ban. */
    public static final ErrorCode NOT_BANNED = new ErrorCode("NOT_BANNED");
    /** Room moderation needs an account store, and the server has none. */
    public static final ErrorCode NOT_AVAILABLE = new ErrorCode("NOT_AVAILABLE");
    /** Core's code for a session without an account, for a command that needs one (HISTORY of a nick). */
    public static final ErrorCode NOT_AUTHENTICATED = ErrorCode.NOT_AUTHENTICATED;
    /** Core's code for a missing or malformed argument (wrong count, empty text, bad number). */
    public static final ErrorCode BAD_ARGUMENT = ErrorCode.BAD_ARGUMENT;
    /**
     * Core's code for a session without a nick; core answers it before chat's handlers run, chat only for
     * a session some other plugin registered without a chat nick.
     */
    public static final ErrorCode NOT_REGISTERED = ErrorCode.NOT_REGISTERED;
}
