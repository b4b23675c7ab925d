package dev.parley.core.spi;

/**
 * Hands out resume tokens. The plugin that implements resumption (heartbeat) provides it with
 * {@link PluginContext#provide}; the plugin that registers sessions (chat's {@code NICK}) finds it with
 * {@link PluginContext#lookup} and appends the token to its reply, so neither depends on the other:
 *
 * <pre>{@code
 * request.session().register(nick);
 * Optional<String> token = context.lookup(Resumption.class).map(r -> r.tokenFor(request.session()));
 * return token.isPresent() ? Reply.ok(nick, token.get()) : Reply.ok(nick);   // OK NICK <nick> [<token>]
 * }</pre>
 *
 * Call it after every successful {@link Session#register} (a rename too: the old token is then revoked). Look
 * it up when answering, not in {@code start}: a plugin started later may provide it. Without a provider the
 * server has no resumption and the reply carries no token.
 */
public interface Resumption {

    /**
     * A fresh secret token with which a new connection may resume the session after its connection drops.
     * Issuing one revokes the session's previous token; a token works once. Never log it.
     *
     * @param session a registered session of this server
     * @throws IllegalStateException when the session is not registered
     */
    String tokenFor(Session session);
}
