package dev.parley.core.spi;

import java.util.concurrent.CompletionStage;

/**
 * Answers one command. Runs on a worker thread (it may block briefly, e.g. on disk I/O); the session's
 * next command waits until the returned stage completes and its reply is written, unless both commands
 * overlap (see {@link Command#orderedOverlap()}).
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @return the final reply, possibly later; a stage that fails (or a thrown exception) answers
     *         {@code ERR <VERB> INTERNAL} and is logged with its stack trace
     */
    CompletionStage<Reply> handle(Request request) throws Exception;
}
