package dev.parley.core.spi;

/**
 * Core's handle for setting who a session is, returned once by {@link PluginContext#authenticateSessions}
 * to the plugin that checks credentials. Holding it is the permission: other plugins read
 * {@link Session#account()} but cannot set it. Thread-safe.
 */
public interface SessionAuthentication {

    /**
     * Records that the session proved it holds the account; {@link Session#account()} returns it from now
     * on. Replaces an account the session had; whether a session may authenticate twice is the caller's
     * rule.
     *
     * @param session a session of this server
     * @param account the account's name as the authenticator knows it
     */
    void authenticate(Session session, String account);
}
