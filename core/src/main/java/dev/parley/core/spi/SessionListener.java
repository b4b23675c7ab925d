package dev.parley.core.spi;

/** Told when sessions come and go; register with {@link PluginContext#addSessionListener}. */
public interface SessionListener {

    /** A connection opened; the session has not registered yet. */
    default void sessionOpened(Session session) {
    }

    /**
     * The session was just authenticated (its {@link Session#account()} is set), while the authenticating
     * plugin's command runs: before that command's reply. Runs on a worker thread.
     */
    default void sessionAuthenticated(Session session) {
    }

    /**
     * The session ended (QUIT, disconnect, or closed by the server) after its last command was answered.
     * Remove it from any state now. Runs on a worker thread. With session retention on (see
     * {@link SessionRetention}) a registered session whose connection drops ends only when its resume grace
     * runs out; if it is resumed first, this is never called for it.
     *
     * @param reason what ended it, for others to see (e.g. the QUIT text), or null
     */
    default void sessionEnded(Session session, String reason) {
    }
}
