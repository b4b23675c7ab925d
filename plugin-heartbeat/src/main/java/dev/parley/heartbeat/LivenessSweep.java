package dev.parley.heartbeat;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.SessionRetention;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one periodic task of the plugin: pings silent connections, drops dead ones, closes connections that
 * never register, ends sessions whose resume grace ran out and forgets old tokens. One pass over every
 * session per run instead of a timer per session.
 */
final class LivenessSweep implements Runnable, SessionListener {
    private static final Logger log = LoggerFactory.getLogger(LivenessSweep.class);

    /** What the sweep remembers of one session. */
    private static final class Watch {
        final long openedAt = System.nanoTime();
        volatile long lastPing = openedAt;
    }

    private final HeartbeatSettings settings;
    private final SessionRetention retention;
    private final ResumeTokens tokens;
    private final Map<Session, Watch> watched = new ConcurrentHashMap<>();
    private final AtomicLong pings = new AtomicLong();

    LivenessSweep(HeartbeatSettings settings, SessionRetention retention, ResumeTokens tokens) {
        this.settings = settings;
        this.retention = retention;
        this.tokens = tokens;
    }

    @Override
    public void sessionOpened(Session session) {
        watched.put(session, new Watch());
    }

    @Override
    public void sessionEnded(Session session, String reason) {
        watched.remove(session);
        // Handed over: the server taking the session over finds it through the cluster's index of its token.
        tokens.ended(session, !HANDED_OVER.equals(reason));
    }

    @Override
    public void run() {
        // A periodic task that throws is never run again: log and carry on instead.
        try {
            long now = System.nanoTime();
            for (Map.Entry<Session, Watch> e : watched.entrySet()) {
                check(e.getKey(), e.getValue(), now);
            }
            retention.endExpired();
            tokens.purge();
        } catch (RuntimeException e) {
            log.error("heartbeat sweep failed; it runs again in {}", settings.sweepPeriod(), e);
        }
    }

    private void check(Session session, Watch watch, long now) {
        Optional<Duration> idle = retention.idleTime(session);
        if (idle.isEmpty()) {
            return; // detached: the resume grace applies, not liveness
        }
        if (idle.get().compareTo(settings.timeout()) >= 0) {
            log.debug("{} silent for {}; dropping it", session, idle.get());
            retention.drop(session, ByeReason.TIMEOUT, "nothing received for " + seconds(settings.timeout()));
            return;
        }
        if (!session.isRegistered() && now - watch.openedAt >= settings.registerTimeout().toNanos()) {
            session.close(ByeReason.TIMEOUT, "register (NICK or RESUME) within " + seconds(settings.registerTimeout()));
            return;
        }
        long interval = settings.interval().toNanos();
        if (idle.get().toNanos() >= interval && now - watch.lastPing >= interval) {
            watch.lastPing = now;
            session.send(Frame.of("PING").param(Long.toString(pings.incrementAndGet(), 36)).build());
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
