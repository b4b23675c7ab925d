package dev.parley.core.spi;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** What the server gives a plugin at start-up. */
public interface PluginContext {

    /** The plugin's own section, {@code parley.<name>}, with its {@code reference.conf} defaults applied. */
    Config config();

    /** Server-wide settings under {@code parley}, read-only, for the rare plugin that needs them. */
    Config rootConfig();

    /** The server's sessions. */
    Sessions sessions();

    /** Shared timers; tasks must be short and must not block. Cancelled on shutdown. */
    ScheduledExecutorService scheduler();

    /** Subscribes to sessions opening and ending. */
    void addSessionListener(SessionListener listener);

    /**
     * Offers a service to other plugins through an interface they know (from core or a shared API), so
     * plugins never depend on each other's code.
     */
    <T> void provide(Class<T> type, T service);

    /** A service some plugin provided, if any has (by the time every plugin has started). */
    <T> Optional<T> lookup(Class<T> type);

    /**
     * Turns on session retention for the whole server (see {@link SessionRetention}): registered sessions
     * outlive a dropped connection for the policy's grace, and their events carry {@code seq} tags. Call it
     * at most once server-wide, from {@link ParleyPlugin#start}; without a call sessions end with their
     * connection and events carry no {@code seq}.
     *
     * @return core's handle for idle times, dropping connections, resuming and ending expired sessions
     * @throws UnsupportedOperationException when the server offers no retention
     */
    default SessionRetention retainSessions(RetentionPolicy policy) {
        throw new UnsupportedOperationException("this server does not offer session retention");
    }
}
