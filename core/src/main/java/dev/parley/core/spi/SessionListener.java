package dev.parley.core.spi;

/** Told when sessions come and go; register with {@link PluginContext#addSessionListener}. */
public interface SessionListener {

    /**
     * The reason of sessions a stopping server of a cluster handed over to the others ({@link #handingOver}):
     * their clients were told another server's address and resume there, so plugins leave whatever they keep
     * of the session in the cluster as it is (no {@code LEFT}, nick kept, resume token valid).
     */
    String HANDED_OVER = "handed over to another server";

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

    /**
     * The server is stopping and hands its sessions to the other servers of its cluster: every command read has
     * run, no more will, and next each session gets {@code @next=<host:port> BYE SHUTDOWN} and ends with
     * {@link #HANDED_OVER}. A plugin that keeps sessions' state in the cluster records what another server
     * needs to take them over now, and stops delivering to them. Runs once, on the stopping thread.
     */
    default void handingOver() {
    }
}
