package dev.parley.core.spi;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * One client's session. Thread-safe; plugins may keep references (e.g. as room members) until
 * {@link SessionListener#sessionEnded} tells them it is gone.
 */
public interface Session {

    /** A server-unique id, never reused while the server runs. */
    long id();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The name the session registered under (its nick), if it has. */
    Optional<String> name();

    /** True once a plugin called {@link #register}. */
    default boolean isRegistered() {
        return name().isPresent();
    }

    /**
     * The account the session proved it holds (e.g. with {@code AUTH}), if any: the authenticated principal.
     * Only the plugin that authenticates sessions sets it, through the {@link SessionAuthentication} core
     * handed it; it stays for the session's life and is independent of the {@link #name() name}. A resumed
     * session keeps its own account. Sessions of servers without such a plugin (and test fakes) have none.
     */
    default Optional<String> account() {
        return Optional.empty();
    }

    /**
     * Marks the session registered under a name (or renames it). Uniqueness is the caller's business: the
     * plugin that owns the namespace (chat's nicks) checks it first.
     */
    void register(String name);

    /**
     * Queues an event for the client. Never blocks; an event sent to a closed session is dropped. Events
     * of one sender to one session arrive in the order sent.
     *
     * @throws IllegalArgumentException when the event's verb is {@code OK}, {@code ERR} or {@code BYE}: a client
     *                                  matches {@code OK}/{@code ERR} lines to its commands in order and ends at
     *                                  {@code BYE}, so such an "event" would break it. A command's answer is its
     *                                  handler's {@link Reply}; to end a session use {@link #close}
     */
    void send(Frame event);

    /**
     * The {@code seq} of the last event numbered for this session: 0 before the first, and always 0 when the
     * server does not number events (no plugin retains sessions, see {@link SessionRetention}). Every event
     * handed to {@link #send} before this call returned carries a seq at most this value. A cluster uses it to
     * record how far each session got, so another server can take the session over.
     */
    default long lastSeq() {
        return 0;
    }

    /** Sends {@code BYE <reason> [:text]}, flushes what is queued and closes the connection. */
    void close(ByeReason reason, String text);

    /** False once the session ended; true while it is detached waiting for a resume (see {@link SessionRetention}). */
    boolean isOpen();

    /**
     * Bytes sent to this session (events, data lines, replies) that its connection has not yet handed to
     * the socket. A plugin that streams a lot of data (file transfer) reads the next piece only while this
     * is below a low-water mark, so it goes as fast as the client reads and never past the transport's
     * {@code max-pending-bytes}, at which the session is closed with {@code BYE SLOW_CONSUMER}. A snapshot,
     * cheap to call. A session that has no connection for the moment (should sessions ever outlive their
     * connections) reports {@link Long#MAX_VALUE}, so streams pause until one is attached; sessions that do
     * not track it at all (e.g. test fakes) report 0.
     */
    default long pendingBytes() {
        return 0;
    }
}
