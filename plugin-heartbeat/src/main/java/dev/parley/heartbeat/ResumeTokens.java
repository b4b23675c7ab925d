package dev.parley.heartbeat;

import dev.parley.core.spi.Resumption;
import dev.parley.core.spi.Session;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The secret resume tokens: one live token per registered session, single use. A token of a session that
 * ended is kept for one grace as a tombstone, so a late RESUME learns why (core answers from the session).
 * Tokens are never logged: nothing here prints them.
 */
final class ResumeTokens implements Resumption {
    /** 144 random bits, written as 24 URL-safe base64 characters (a valid protocol parameter). */
    private static final int TOKEN_BYTES = 18;

    private record Holder(Session session, long tombstoneUntil) {
        static final long LIVE = Long.MAX_VALUE;
    }

    private final SecureRandom random = new SecureRandom();
    private final long graceNanos;
    private final Map<String, Holder> byToken = new HashMap<>();   // guarded by this
    private final Map<Session, String> bySession = new HashMap<>(); // guarded by this

    ResumeTokens(long graceNanos) {
        this.graceNanos = graceNanos;
    }

    @Override
    public synchronized String tokenFor(Session session) {
        if (!session.isRegistered()) {
            throw new IllegalStateException("only a registered session gets a resume token: " + session);
        }
        String token = newToken();
        String previous = bySession.put(session, token);
        if (previous != null) {
            byToken.remove(previous);
        }
        byToken.put(token, new Holder(session, Holder.LIVE));
        return token;
    }

    /** Uses up a token: the session it belongs (or belonged) to, if it is known. */
    synchronized Optional<Session> take(String token) {
        Holder holder = byToken.remove(token);
        if (holder == null) {
            return Optional.empty();
        }
        if (holder.tombstoneUntil() == Holder.LIVE) {
            bySession.remove(holder.session(), token);
        }
        return Optional.of(holder.session());
    }

    /** Gives a token back after a RESUME that changed nothing, unless the session got a newer one meanwhile. */
    synchronized void restore(String token, Session session) {
        if (session.isOpen() && !bySession.containsKey(session)) {
            bySession.put(session, token);
            byToken.put(token, new Holder(session, Holder.LIVE));
        }
    }

    /** The session ended: its token now only says so, until one grace has passed. */
    synchronized void ended(Session session) {
        String token = bySession.remove(session);
        if (token != null) {
            byToken.put(token, new Holder(session, System.nanoTime() + graceNanos));
        }
    }

    /** Forgets tombstones older than one grace. */
    synchronized void purge() {
        long now = System.nanoTime();
        for (Iterator<Holder> it = byToken.values().iterator(); it.hasNext(); ) {
            long until = it.next().tombstoneUntil();
            if (until != Holder.LIVE && now - until > 0) {
                it.remove();
            }
        }
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public synchronized String toString() {
        return "ResumeTokens[" + bySession.size() + " live, " + (byToken.size() - bySession.size()) + " ended]";
    }
}
