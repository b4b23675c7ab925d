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
     * Marks the session registered under a name (or renames it). Uniqueness is the caller's business: the
     * plugin that owns the namespace (chat's nicks) checks it first.
     */
    void register(String name);

    /**
     * Queues an event for the client. Never blocks; an event sent to a closed session is dropped. Events
     * of one sender to one session arrive in the order sent.
     */
    void send(Frame event);

    /** Sends {@code BYE <reason> [:text]}, flushes what is queued and closes the connection. */
    void close(ByeReason reason, String text);

    /** False once the session ended; true while it is detached waiting for a resume (see {@link SessionRetention}). */
    boolean isOpen();
}
