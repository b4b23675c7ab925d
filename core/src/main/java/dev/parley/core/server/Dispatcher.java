package dev.parley.core.server;

import dev.parley.core.log.RepeatedWarning;
import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.cluster.ClusterException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns frames into handler calls and their outcome into exactly one final reply. Knows no bytes. */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final CommandTable commands;
    /** While the cluster is unreachable every command fails alike: one WARN line per 10 s says so. */
    private final RepeatedWarning clusterWarnings = new RepeatedWarning(Duration.ofSeconds(10));
    private volatile boolean authenticationRequired;

    Dispatcher(CommandTable commands) {
        this.commands = commands;
    }

    /** From now on commands that require authentication need a session with an account. */
    void requireAuthentication() {
        authenticationRequired = true;
    }

    /** True when the frame's command may overlap the session's pending ones (see {@code Command.orderedOverlap}). */
    boolean overlaps(Frame frame) {
        CommandTable.Entry entry = commands.get(frame.verb());
        return entry != null && entry.command().overlaps();
    }

    /**
     * Runs the command's handler.
     *
     * @return null when the final reply has been written already, else a stage that completes once it is
     */
    CompletionStage<?> dispatch(ServerSession session, Frame frame) {
        return dispatch(session, frame, null);
    }

    /**
     * Runs the command's handler; its reply is written only after {@code earlier} completes.
     *
     * @param earlier the stage of the session's last pending overlapping command, or null when none is pending
     * @return null when the final reply has been written already, else a stage that completes once it is
     */
    CompletionStage<?> dispatch(ServerSession session, Frame frame, CompletionStage<?> earlier) {
        session.observer().dispatched(frame);
        String verb = frame.verb();
        String id = frame.tag(Frame.TAG_ID);
        CommandTable.Entry entry = commands.get(verb);
        if (entry == null) {
            return after(earlier, () -> session.writeReply(verb, id, Reply.error(ErrorCode.UNKNOWN_COMMAND,
                    "no loaded plugin offers " + verb + "; send HELP for the list of commands")));
        }
        if (authenticationRequired && entry.command().requiresAuthentication() && session.account().isEmpty()) {
            return after(earlier, () -> session.writeReply(verb, id, Reply.error(ErrorCode.NOT_AUTHENTICATED,
                    "this server needs you to authenticate first (AUTH <user> <password>), then send " + verb
                            + " again")));
        }
        if (entry.command().requiresRegistration() && !session.isRegistered()) {
            return after(earlier, () -> session.writeReply(verb, id, Reply.error(ErrorCode.NOT_REGISTERED,
                    "register first (NICK <name>), then send " + verb + " again")));
        }
        Optional<Reply> misused = entry.command().usage().refuse(verb, frame.arguments().size());
        if (misused.isPresent()) {
            return after(earlier, () -> session.writeReply(verb, id, misused.get()));
        }
        CompletionStage<Reply> stage;
        try {
            stage = entry.command().handler().handle(new ServerRequest(session, frame));
            if (stage == null) {
                throw new IllegalStateException("handler of " + verb + " returned no reply");
            }
        } catch (Exception | LinkageError | AssertionError e) {
            return after(earlier, () -> finish(session, frame, entry, null, e));
        }
        if (earlier != null) {
            // Written once the earlier replies are and this one is ready, whichever completes last.
            return earlier.handle((ignored, error) -> null).thenCompose(ignored -> stage.handle((reply, failure) -> {
                finish(session, frame, entry, reply, failure);
                return null;
            }));
        }
        if (stage instanceof CompletableFuture<Reply> future && future.isDone()) {
            Reply reply = null;
            Throwable failure = null;
            try {
                reply = future.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                failure = e;
            }
            finish(session, frame, entry, reply, failure);
            return null;
        }
        return stage.handle((reply, failure) -> {
            finish(session, frame, entry, reply, failure);
            return null;
        });
    }

    /** Writes now when nothing is pending, else once {@code earlier} completes; see {@link #dispatch}. */
    private static CompletionStage<?> after(CompletionStage<?> earlier, Runnable write) {
        if (earlier == null) {
            write.run();
            return null;
        }
        return earlier.handle((ignored, error) -> {
            write.run();
            return null;
        });
    }

    private void finish(ServerSession session, Frame frame, CommandTable.Entry entry, Reply reply, Throwable failure) {
        String verb = frame.verb();
        if (failure == null && reply == null) {
            failure = new IllegalStateException("handler of " + verb + " completed without a reply");
        }
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            ClusterException unreachable = clusterFailure(cause);
            if (unreachable != null) {
                // The cluster's state, not this server's code: no stack trace, and a code the client can act on.
                clusterWarnings.log(log, "commands refused so",
                        "command {} of plugin '{}' for {}: the cluster did not answer: {}", verb, entry.plugin(),
                        session, unreachable.getMessage());
                reply = Reply.error(ErrorCode.CLUSTER_UNAVAILABLE, "this server cannot reach enough of its cluster"
                        + " right now; " + verb + " may not have taken effect; try again in a few seconds");
            } else {
                // Never the frame or its arguments: they may be a password (AUTH) or a resume token (RESUME).
                log.error("command {} of plugin '{}' failed for {}", verb, entry.plugin(), session, cause);
                reply = Reply.error(ErrorCode.INTERNAL, "the server failed to run " + verb + "; it was logged");
            }
        }
        session.writeReply(verb, frame.tag(Frame.TAG_ID), reply);
        if (session.isClosing()) {
            session.closeConnection();
        }
        session.completeHandover();
    }

    /** The {@link ClusterException} in a failure's chain of causes, or null. */
    static ClusterException clusterFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClusterException e) {
                return e;
            }
        }
        return null;
    }

    /** The request a handler sees; data lines go straight to the session's connection, before the reply. */
    private record ServerRequest(ServerSession session, Frame frame) implements Request {
        @Override
        public void data(Frame line) {
            session.writeData(line);
        }
    }
}
