package dev.parley.chat.cluster;

import dev.parley.chat.nick.NickLedger;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.chat.room.RoomLedger;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.NodeListener;
import dev.parley.core.spi.cluster.SessionHandover;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.core.spi.store.MessageStore;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat across a cluster, on core's cluster primitives (never on a cluster library): {@link #nicks()} for
 * the nick registry, {@link #rooms()} for the room registry, stand-ins for other servers' sessions for the
 * Directory, and the clean-up after a server leaves: the others wait for the resume grace, then free its
 * nicks and take its sessions out of their rooms (see docs/cluster.md).
 */
public final class ClusterChat implements NodeListener, SessionListener {
    /** How often each server records how far its sessions got (see {@link SessionCursors}). */
    static final Duration CHECKPOINT_PERIOD = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(ClusterChat.class);

    private final ClusterService cluster;
    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    private final ClusterRooms rooms;
    private final ClusterNicks nicks;
    private final SharedMap cursorMap;
    private final ClusterHandover handover;
    /** Map {@code parley.chat.departing}: nodes handing their sessions over, which may be taken over at once. */
    private final SharedMap departing;
    private volatile boolean handingOver;
    private SessionCursors cursors;
    private ScheduledFuture<?> checkpoints;

    /**
     * @param store         where every server of the cluster keeps the rooms' messages (one shared database)
     * @param historySize   messages HISTORY may return: parley.chat.history-page
     * @param appendTimeout how long SAY waits for the cluster to accept a message
     * @param grace         how long a departed server's sessions keep their nicks and rooms (the resume grace)
     */
    public ClusterChat(ClusterService cluster, Sessions sessions, ScheduledExecutorService scheduler,
                       MessageStore store, int historySize, Duration appendTimeout, Duration grace) {
        this.cluster = cluster;
        this.scheduler = scheduler;
        this.grace = grace;
        this.rooms = new ClusterRooms(cluster, sessions, store, historySize, appendTimeout);
        this.nicks = new ClusterNicks(cluster, sessions, rooms, appendTimeout);
        this.cursorMap = cluster.map("parley.chat.cursors");
        this.departing = cluster.map("parley.chat.departing");
        this.handover = new ClusterHandover(cluster, cursorMap, departing, nicks, rooms, scheduler);
    }

    /** Takes over sessions of departed servers, for the plugin that answers RESUME. */
    public SessionHandover handover() {
        return handover;
    }

    /** The cluster's nicks, for the {@link NickRegistry}. */
    public NickLedger nicks() {
        return nicks;
    }

    /** The cluster's rooms, for the {@link RoomRegistry}. */
    public RoomLedger rooms() {
        return rooms;
    }

    /** Starts receiving events from other servers; call once the registries exist. */
    public void start(NickRegistry nickRegistry, RoomRegistry roomRegistry) {
        rooms.start(nicks::remote, roomRegistry);
        nicks.start(nickRegistry, roomRegistry);
        handover.start(nickRegistry, roomRegistry);
        cursors = new SessionCursors(cursorMap, cluster.nodeId(), nickRegistry::all, nicks::directThrough);
        long period = CHECKPOINT_PERIOD.toMillis();
        checkpoints = scheduler.scheduleWithFixedDelay(this::checkpoint, period, period, TimeUnit.MILLISECONDS);
        cluster.addNodeListener(this);
    }

    private void checkpoint() {
        try {
            cursors.flush();
        } catch (RuntimeException e) {
            log.warn("recording how far this server's sessions got failed; retrying: {}", e.toString());
        }
    }

    /**
     * Hands this server's sessions to the others: marks this node departing (so that they take its sessions
     * over at once, before it has left the cluster), stops delivering the shared logs to its sessions, and
     * records how far each got; from then on their ending here leaves their nicks, rooms and checkpoints as they
     * are. Every command read has run by now, so the checkpoints cover all each client will read.
     */
    @Override
    public void handingOver() {
        rooms.handingOver();
        nicks.handingOver();
        if (checkpoints != null) {
            checkpoints.cancel(false);
        }
        try {
            if (cursors != null) {
                cursors.flush();
            }
            departing.put(cluster.nodeId(), "departing");
        } catch (RuntimeException e) {
            log.error("recording this server's sessions for their handover failed", e);
        }
        handingOver = true;
        log.info("handing this server's sessions over to the other servers of the cluster");
    }

    @Override
    public void sessionEnded(Session session, String reason) {
        if (handingOver || SessionListener.HANDED_OVER.equals(reason)) {
            return; // its checkpoints stay for the server taking it over
        }
        if (cursors != null) {
            try {
                cursors.ended(session);
            } catch (RuntimeException e) {
                log.warn("forgetting the checkpoints of {} failed: {}", session, e.toString());
            }
        }
    }

    /** Stops listening; the cluster itself is closed by whoever started it. */
    public void stop() {
        if (checkpoints != null) {
            checkpoints.cancel(false);
        }
        nicks.stop();
        rooms.stop();
    }

    @Override
    public void nodeLeft(String departed) {
        log.info("cluster node {} left; its sessions end in {} unless it comes back", departed, grace);
        scheduleCleanUp(departed, grace.toMillis(), 0);
    }

    /** How long a clean-up that the cluster refused waits before it tries again, at most. */
    private static final long CLEAN_UP_RETRY_MAX_MILLIS = 30_000;

    private void scheduleCleanUp(String departed, long delayMillis, int failures) {
        try {
            scheduler.schedule(() -> cleanUp(departed, failures), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("not cleaning up after cluster node {}: this server is stopping", departed);
        }
    }

    /**
     * Removes what a departed node's sessions held: nicks, room memberships (with their LEFT), checkpoints. Until
     * this runs somewhere, their nicks are refused to everyone. So when the cluster cannot serve it (this node is
     * cut off from the majority, which may be gathering again right now), it tries again, sooner at first,
     * until it works: a single try lost once left a soak's nicks held for good, and every client that later
     * registered one of them again met NICK_IN_USE. Every step is idempotent; the first node to remove an
     * entry sends its LEFT.
     */
    private void cleanUp(String departed, int failures) {
        try {
            nicks.sweep(departed);
            rooms.sweep(departed);
            cursorMap.snapshot().forEach((key, value) -> {
                if (key.startsWith(departed + "/")) {
                    cursorMap.remove(key, value);
                }
            });
            departing.delete(departed);
            if (failures > 0) {
                log.info("cleaned up after cluster node {} after {} failed tries", departed, failures);
            }
        } catch (ClusterException e) {
            long retry = Math.min(CLEAN_UP_RETRY_MAX_MILLIS, 1000L << Math.min(failures, 5));
            if (failures == 0) {
                log.warn("cleaning up after cluster node {} failed, trying again until it works (every {} s at"
                        + " most): {}", departed, CLEAN_UP_RETRY_MAX_MILLIS / 1000, e.getMessage());
            } else {
                log.debug("cleaning up after cluster node {} failed again: {}", departed, e.getMessage());
            }
            scheduleCleanUp(departed, retry, failures + 1);
        } catch (RuntimeException e) {
            log.error("cleaning up after cluster node {} failed", departed, e);
        }
    }
}
