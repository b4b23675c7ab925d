package dev.parley.heartbeat;

import dev.parley.core.spi.Session;
import dev.parley.core.spi.cluster.SharedMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * The cluster-wide index of live resume tokens, so that the server a client reconnects to can find the server
 * that held its session after that one died: map {@code parley.heartbeat.tokens}, from the token's SHA-256
 * (never the token: a dump of the cluster's maps gives no usable token) to {@code node LF session id}.
 */
final class ClusterTokens {
    /** The session a token belonged to. */
    record Owner(String node, long sessionId) {
    }

    private final SharedMap index;
    private final String node;

    ClusterTokens(SharedMap index, String node) {
        this.index = index;
        this.node = node;
    }

    void issued(String token, Session session) {
        index.put(hash(token), node + "\n" + session.id());
    }

    void revoked(String token) {
        index.delete(hash(token));
    }

    /**
     * The session a live token belongs to, without using it up: a RESUME that fails half-way (the cluster did
     * not answer) must leave it for the client's next try. Whoever takes the session over first wins through
     * the session's checkpoint record; {@link #used} then retires the token.
     */
    Optional<Owner> owner(String token) {
        Optional<String> value = index.get(hash(token));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        int lf = value.get().indexOf('\n');
        return Optional.of(new Owner(value.get().substring(0, lf), Long.parseLong(value.get().substring(lf + 1))));
    }

    /** Retires a token once its session was taken over or found gone, unless it points elsewhere by now. */
    void used(String token, Owner owner) {
        index.remove(hash(token), owner.node() + "\n" + owner.sessionId());
    }

    /** Forgets the tokens of a server that left the cluster (its sessions were swept or taken over). */
    void forget(String departed) {
        index.snapshot().forEach((key, value) -> {
            if (value.startsWith(departed + "\n")) {
                index.remove(key, value);
            }
        });
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
