package dev.parley.filetransfer;

import dev.parley.core.protocol.ErrorCode;

/**
 * The error codes of the filetransfer plugin, all in one place; docs/protocol.md lists them. Core's
 * {@link ErrorCode#BAD_ARGUMENT} covers malformed sizes, offsets and checksums.
 */
public final class FileTransferErrors {
    private FileTransferErrors() {
    }

    /** OFFER: the size exceeds {@code parley.filetransfer.max-file-bytes}. */
    public static final ErrorCode FILE_TOO_LARGE = new ErrorCode("FILE_TOO_LARGE");
    /** OFFER: the sender's unexpired files would exceed {@code parley.filetransfer.quota-bytes}. */
    public static final ErrorCode QUOTA_EXCEEDED = new ErrorCode("QUOTA_EXCEEDED");
    /** OFFER: no session is registered under the target nick. */
    public static final ErrorCode NO_SUCH_NICK = new ErrorCode("NO_SUCH_NICK");
    /** OFFER: the target room does not exist or the sender is not a member. */
    public static final ErrorCode NOT_IN_ROOM = new ErrorCode("NOT_IN_ROOM");
    /** OFFER: the file name is empty, too long, holds control characters or nothing but a path. */
    public static final ErrorCode BAD_NAME = new ErrorCode("BAD_NAME");
    /** CHUNK, FETCH: no such file, or not one this nick may touch (existence is not revealed). */
    public static final ErrorCode NO_SUCH_FILE = new ErrorCode("NO_SUCH_FILE");
    /** CHUNK: not at the next expected offset, or past the announced size; FETCH: offset past the size. */
    public static final ErrorCode BAD_OFFSET = new ErrorCode("BAD_OFFSET");
    /** CHUNK: the last byte arrived and the SHA-256 differs from the offered one; the upload is discarded. */
    public static final ErrorCode CHECKSUM_MISMATCH = new ErrorCode("CHECKSUM_MISMATCH");
    /** FETCH by the uploader of a file whose upload is not finished. */
    public static final ErrorCode INCOMPLETE = new ErrorCode("INCOMPLETE");
}
