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

    /**
     * Made at the first token rather than at start: setting up the JCA providers took ~10 ms of a JDK 25 start,
     * better paid after the server listens. SecureRandom is thread-safe, so one serves every instance.
     */
    private static final class Randomness {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private final long graceNanos;
    private final Map<String, Holder> byToken = new HashMap<>();   // guarded by this
    private final Map<Session, String> bySession = new HashMap<>(); // guarded by this
    private final Optional<ClusterTokens> cluster;

    ResumeTokens(long graceNanos) {
        this(graceNanos, null);
    }

    /** @param cluster the cluster-wide index of live tokens, or null on a single server */
    ResumeTokens(long graceNanos, ClusterTokens cluster) {
        this.graceNanos = graceNanos;
        this.cluster = Optional.ofNullable(cluster);
    }

    /** The cluster-wide index, when servers run as a cluster. */
    Optional<ClusterTokens> cluster() {
        return cluster;
    }

    @Override
    public String tokenFor(Session session) {
        if (!session.isRegistered()) {
            throw new IllegalStateException("only a registered session gets a resume token: " + session);
        }
        String token = newToken();
        String previous;
        synchronized (this) {
            previous = bySession.put(session, token);
            if (previous != null) {
                byToken.remove(previous);
            }
            byToken.put(token, new Holder(session, Holder.LIVE));
        }
        // The cluster is told outside the lock: its round trips must not hold up other sessions' tokens.
        cluster.ifPresent(c -> {
            c.issued(token, session);
            if (previous != null) {
                c.revoked(previous);
            }
        });
        return token;
    }

    /** Uses up a token: the session of this server it belongs (or belonged) to, if it is known here. */
    Optional<Session> take(String token) {
        Holder holder;
        synchronized (this) {
            holder = byToken.remove(token);
            if (holder == null) {
                return Optional.empty();
            }
            if (holder.tombstoneUntil() == Holder.LIVE) {
                bySession.remove(holder.session(), token);
            }
        }
        cluster.ifPresent(c -> c.revoked(token));
        return Optional.of(holder.session());
    }

    /** Gives a token back after a RESUME that changed nothing, unless the session got a newer one meanwhile. */
    void restore(String token, Session session) {
        boolean restored = false;
        synchronized (this) {
            if (session.isOpen() && !bySession.containsKey(session)) {
                bySession.put(session, token);
                byToken.put(token, new Holder(session, Holder.LIVE));
                restored = true;
            }
        }
        if (restored) {
            cluster.ifPresent(c -> c.issued(token, session));
        }
    }

    /** The session ended: its token now only says so, until one grace has passed. */
    void ended(Session session) {
        ended(session, true);
    }

    /**
     * The session ended here: its token now only says so here, until one grace has passed.
     *
     * @param revoke also take it out of the cluster's index; false when the session was handed over to another
     *               server, which then finds it there
     */
    void ended(Session session, boolean revoke) {
        String token;
        synchronized (this) {
            token = bySession.remove(session);
            if (token != null) {
                byToken.put(token, new Holder(session, System.nanoTime() + graceNanos));
            }
        }
        if (token != null && revoke) {
            cluster.ifPresent(c -> c.revoked(token));
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
        Randomness.RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public synchronized String toString() {
        return "ResumeTokens[" + bySession.size() + " live, " + (byToken.size() - bySession.size()) + " ended]";
    }
}
