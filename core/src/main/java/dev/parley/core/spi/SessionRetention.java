package dev.parley.core.spi;

import dev.parley.core.protocol.ByeReason;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Core's side of session resumption, returned by {@link PluginContext#retainSessions}. Core holds the
 * mechanism (sequence numbers, the replay buffer, detaching and re-attaching connections); the plugin that
 * asked for it holds the policy, the tokens, the timers and the commands.
 *
 * <p>While retention is on:
 * <ul>
 *   <li>every event sent to a registered session carries the tag {@code seq=<n>}, a per-session counter from
 *       1 (replies and data lines carry none), and the last {@link RetentionPolicy#replayLimit()} events of
 *       each registered session are kept;</li>
 *   <li>a registered session whose connection closes without {@code QUIT} (and not by
 *       {@link Session#close}) is <em>detached</em>, not ended: it keeps its name and collects its events,
 *       and {@link SessionListener#sessionEnded} is not called until it ends for good;</li>
 *   <li>a detached session ends when {@link #endExpired()} finds it detached longer than the grace, when
 *       more than the replay limit of its events were accepted by no connection (counted from the last one
 *       its old connection accepted), or when {@link Session#close} is called on it;</li>
 *   <li>a command's data lines and final reply go to the connection the command came from.</li>
 * </ul>
 * Every method is thread-safe; sessions passed in must be this server's.
 */
public interface SessionRetention {

    /** What became of a {@link #resume} call. */
    enum Outcome {
        /** The connection now belongs to the resumed session; the missed events were written to it. */
        RESUMED,
        /** The session ended (grace over, QUIT, closed) or is ending. */
        NO_SUCH_SESSION,
        /** The session ended because more events than the replay limit piled up while it was detached. */
        REPLAY_OVERFLOW,
        /** The buffer no longer holds the events after the given sequence number; the session was ended. */
        REPLAY_UNAVAILABLE,
        /** The given sequence number is above the last one sent; nothing changed. */
        SEQ_AHEAD
    }

    /**
     * Time since bytes last arrived on the session's current connection (see
     * {@link dev.parley.core.net.InboundHandler#activity()}).
     *
     * @return empty when the session is detached or ended
     */
    Optional<Duration> idleTime(Session session);

    /**
     * Sends {@code BYE <reason> [:text]} and closes the session's connection as if the network had dropped
     * it: a registered session is detached and may be resumed; an unregistered one ends.
     */
    void drop(Session session, ByeReason reason, String text);

    /**
     * Moves the connection of {@code request.session()} (which must not be registered) to {@code target}.
     * Call it from the command handler that answers the resume; on {@link Outcome#RESUMED}:
     * <ol>
     *   <li>the events of {@code target} with a sequence number above {@code lastSeq} (when absent: every
     *       event not yet handed to a connection) are written at once, in order, with their original tags;</li>
     *   <li>{@code target}'s previous connection, if it still had one, is closed without a {@code BYE};</li>
     *   <li>once the handler's final reply is written, the request's session ends (listeners see it end,
     *       unregistered) and every later frame of the connection runs as a command of {@code target}.</li>
     * </ol>
     * Plugins keep seeing {@code target}, the same object with the same name, throughout.
     */
    Outcome resume(Request request, Session target, OptionalLong lastSeq);

    /**
     * For a session taken over from another server of a cluster (see
     * {@link dev.parley.core.spi.cluster.SessionHandover}): numbers its events on from {@code lastSeq}, so the
     * next event sent to it carries {@code seq=lastSeq+1} and the client's numbering goes on unbroken. Call it
     * before the first event is sent to the session.
     *
     * @throws IllegalStateException when an event was numbered for the session already
     */
    void continueSequence(Session session, long lastSeq);

    /**
     * Ends every session detached for longer than the policy's grace, as if its connection had just been
     * lost (listeners are told, with reason {@code "connection lost"}). Core runs no timer for this: the
     * plugin calls it periodically.
     *
     * @return how many sessions it ended
     */
    int endExpired();
}
