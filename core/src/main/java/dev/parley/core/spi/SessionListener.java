package dev.parley.core.spi;

/** Told when sessions come and go; register with {@link PluginContext#addSessionListener}. */
public interface SessionListener {

    /** A connection opened; the session has not registered yet. */
    default void sessionOpened(Session session) {
    }

    /**
     * The session ended (QUIT, disconnect, or closed by the server) after its last command was answered.
     * Remove it from any state now. Runs on a worker thread.
     *
     * @param reason what ended it, for others to see (e.g. the QUIT text), or null
     */
    default void sessionEnded(Session session, String reason) {
    }
}
