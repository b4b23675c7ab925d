package dev.parley.filetransfer.spool;

import java.io.IOException;

/**
 * Where an upload can be cut by a crash, in the order its steps run. Tests arm {@link FileSpool#open} with a
 * hook that throws at one of them and then open a new spool over the same directory, which is what a
 * {@code kill -9} between two steps leaves behind; production passes {@link #NONE}.
 */
public interface CrashPoints {
    /** Never interrupts. */
    CrashPoints NONE = step -> {
    };

    /** The steps of an upload, each reached after its effect on disk and before the next one. */
    enum Step {
        /** OFFER: the sidecar of a new upload is written, its {@code .part} not yet created. */
        OFFER_RECORDED,
        /** CHUNK: bytes are in the {@code .part}; for the last chunk, its checksum is not yet checked. */
        CHUNK_WRITTEN,
        /** Last CHUNK: the recipients are in the sidecar, the chunk's bytes not yet written. */
        RECIPIENTS_RECORDED,
        /** Last CHUNK: the SHA-256 matched; the sidecar still says {@code uploading}. */
        VERIFIED,
        /** Last CHUNK: the sidecar says {@code complete}; the bytes are still in the {@code .part}. */
        COMPLETE_RECORDED,
        /** Last CHUNK: the {@code .part} became the {@code .file}; no recipient has been told yet. */
        RENAMED,
        /** The online recipients were sent the FILE line; the sidecar does not yet say so. */
        ANNOUNCED
    }

    /** Called when an upload reaches {@code step}; throwing stops it there as a crash would. */
    void reached(Step step) throws IOException;
}
