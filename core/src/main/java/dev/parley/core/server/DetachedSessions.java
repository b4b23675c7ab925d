package dev.parley.core.server;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.RetentionPolicy;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionRetention;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Core's retention mechanism: which sessions are detached since when, and the entry points the plugin that
 * turned retention on uses. The numbering and replay themselves live in {@link ServerSession}.
 */
final class DetachedSessions implements SessionRetention {
    private final RetentionPolicy policy;
    private final Map<ServerSession, Long> detachedAt = new ConcurrentHashMap<>();

    DetachedSessions(RetentionPolicy policy) {
        this.policy = policy;
    }

    RetentionPolicy policy() {
        return policy;
    }

    /** Called with the session's output lock held, like {@link #gone}, so the two never cross. */
    void detached(ServerSession session) {
        detachedAt.put(session, System.nanoTime());
    }

    /** The session was resumed or ended: no longer waiting for a resume. */
    void gone(ServerSession session) {
        detachedAt.remove(session);
    }

    @Override
    public Optional<Duration> idleTime(Session session) {
        long idle = local(session).idleNanos();
        return idle < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(idle));
    }

    @Override
    public void drop(Session session, ByeReason reason, String text) {
        local(session).drop(reason, text);
    }

    @Override
    public Outcome resume(Request request, Session target, OptionalLong lastSeq) {
        ServerSession from = local(request.session());
        if (from.isRegistered()) {
            throw new IllegalStateException(from + " is registered; only a new connection can resume a session");
        }
        if (from == target) {
            return Outcome.NO_SUCH_SESSION;
        }
        return local(target).resumeFrom(from, lastSeq);
    }

    @Override
    public void continueSequence(Session session, long lastSeq) {
        if (lastSeq < 0) {
            throw new IllegalArgumentException("a seq is never negative: " + lastSeq);
        }
        local(session).continueSequence(lastSeq, policy.replayLimit());
    }

    @Override
    public int endExpired() {
        long now = System.nanoTime();
        long grace = policy.grace().toNanos();
        int ended = 0;
        for (Map.Entry<ServerSession, Long> e : detachedAt.entrySet()) {
            if (now - e.getValue() >= grace) {
                if (e.getKey().expire()) {
                    ended++;
                }
                detachedAt.remove(e.getKey(), e.getValue());
            }
        }
        return ended;
    }

    private static ServerSession local(Session session) {
        if (session instanceof ServerSession local) {
            return local;
        }
        throw new IllegalArgumentException("not a session of this server: " + session);
    }

    @Override
    public String toString() {
        return "DetachedSessions[" + detachedAt.size() + " detached, " + policy + "]";
    }
}
