package dev.parley.auth;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ANNOUNCE across a cluster: the notice goes out on channel {@code parley.auth.announce}; every server (this one
 * included) sends it to its own sessions and answers on {@code parley.auth.announce.counts} how many it reached,
 * which the announcing server adds up for its {@code OK ANNOUNCE <count>}. A server that does not answer within
 * {@link #WAIT} is left out of the count (the notice may still have reached its sessions).
 */
final class ClusterAnnouncer {
    static final Duration WAIT = Duration.ofSeconds(3);

    private final ClusterService cluster;
    private final Sessions sessions;
    private final ScheduledExecutorService scheduler;
    private final Channel notices;
    private final Channel counts;
    private final Map<Long, Tally> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<Subscription> subscriptions;

    /** The counts of one ANNOUNCE so far. */
    private static final class Tally {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        final AtomicInteger reached = new AtomicInteger();
        final AtomicInteger answers = new AtomicInteger();
        final int servers;

        Tally(int servers) {
            this.servers = servers;
        }
    }

    ClusterAnnouncer(ClusterService cluster, Sessions sessions, ScheduledExecutorService scheduler) {
        this.cluster = cluster;
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.notices = cluster.channel("parley.auth.announce");
        this.counts = cluster.channel("parley.auth.announce.counts");
        this.subscriptions = List.of(notices.subscribe(this::deliver), counts.subscribe(this::counted));
    }

    /** Sends the notice to every session of every server; completes with how many sessions it reached. */
    CompletionStage<Integer> announce(Frame notice) {
        long id = ids.incrementAndGet();
        Tally tally = new Tally(cluster.nodes().size());
        pending.put(id, tally);
        String line = FrameWriter.encodeText(notice).stripTrailing();
        notices.publish(cluster.nodeId() + "\n" + id + "\n" + line);
        scheduler.schedule(() -> finish(id), WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return tally.done;
    }

    void stop() {
        subscriptions.forEach(Subscription::close);
    }

    /** A notice from any server, this one's included: to this server's sessions, then the count back. */
    private void deliver(String message) {
        String[] f = message.split("\n", 3);
        Frame notice;
        try {
            notice = FrameParser.parse(f[2]);
        } catch (ProtocolException e) {
            throw new IllegalStateException("a cluster peer sent a notice this server cannot read: " + f[2], e);
        }
        var everyone = sessions.all();
        sessions.send(everyone, notice);
        counts.publish(f[0] + "\n" + f[1] + "\n" + everyone.size());
    }

    private void counted(String message) {
        String[] f = message.split("\n", 3);
        if (!f[0].equals(cluster.nodeId())) {
            return;
        }
        long id = Long.parseLong(f[1]);
        Tally tally = pending.get(id);
        if (tally == null) {
            return; // answered after the wait
        }
        tally.reached.addAndGet(Integer.parseInt(f[2]));
        if (tally.answers.incrementAndGet() >= tally.servers) {
            finish(id);
        }
    }

    private void finish(long id) {
        Tally tally = pending.remove(id);
        if (tally != null) {
            tally.done.complete(tally.reached.get());
        }
    }
}
