package dev.parley.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.NodeListener;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.core.spi.cluster.Subscription;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's cluster primitives on one embedded Hazelcast member: {@link SharedMap} on an {@code IMap},
 * {@link SharedLog} on a {@code Ringbuffer} (its sequence is the log's), {@link Channel} on an {@code ITopic}.
 * The node id is the member's UUID.
 */
final class HazelcastCluster implements ClusterService {
    private static final Logger log = LoggerFactory.getLogger(HazelcastCluster.class);
    /** How often this node's readers are reminded to say where they are (see {@link ReaderPositions}). */
    private static final long REMIND_PERIOD_MILLIS = 250;

    private final HazelcastInstance hazelcast;
    private final ClusterSettings settings;
    private final String nodeId;
    private final ConcurrentHashMap<String, HazelcastLog> logs = new ConcurrentHashMap<>();
    /** Topic {@code parley.log.positions}: where every log reader is, for the writers' barrier. */
    private final ITopic<String> positionsTopic;
    private final ReaderPositions positions;
    /** Holds appends for readers and reminds readers to say where they are; one daemon thread. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-log-barrier");
        t.setDaemon(true);
        return t;
    });
    /** Notices a standstill past the heartbeat timeout; a thread of its own, so that nothing delays its ticks. */
    private final ScheduledExecutorService watching = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-freeze-watch");
        t.setDaemon(true);
        return t;
    });
    private final FreezeWatch freezeWatch;

    /**
     * @param onCutOff run once when this node finds that it stood still past the heartbeat timeout (after its
     *                 appends are refused): the server stops, so that its clients resume on the other nodes
     */
    HazelcastCluster(HazelcastInstance hazelcast, ClusterSettings settings, Runnable onCutOff) {
        this.hazelcast = hazelcast;
        this.settings = settings;
        this.nodeId = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.freezeWatch = new FreezeWatch(FreezeWatch.limit(settings.properties()), System::nanoTime, () -> {
            log.error("this node stood still for {} ms, longer than the other members wait for its heartbeat: they"
                    + " have counted it out and gone on without it, so it appends nothing more and stops",
                    freezeWatchStandstillMillis());
            onCutOff.run();
        });
        this.positionsTopic = hazelcast.getTopic("parley.log.positions");
        this.positions = new ReaderPositions(nodeId, this::publishPosition, name -> {
            HazelcastLog target = logs.get(name);
            if (target != null) {
                target.readersMoved();
            }
        });
        positionsTopic.addMessageListener(message -> positions.received(message.getMessageObject()));
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                // Tell the newcomer where this node's readers are before its writers need it.
                try {
                    timer.execute(() -> remindReaders(true));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // closing
                }
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                positions.nodeLeft(id(event.getMember()));
            }
        });
        timer.scheduleWithFixedDelay(() -> remindReaders(false), REMIND_PERIOD_MILLIS, REMIND_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        watching.scheduleWithFixedDelay(freezeWatch::tick, FreezeWatch.TICK_MILLIS, FreezeWatch.TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        log.info("cluster member {} joined cluster '{}' with {} member(s)", nodeId, settings.name(), nodes().size());
    }

    private void publishPosition(String line) {
        try {
            positionsTopic.publishAsync(line);
        } catch (RuntimeException e) {
            log.debug("cannot say where a log reader is: {}", e.toString()); // the member is shutting down
        }
    }

    private long freezeWatchStandstillMillis() {
        return freezeWatch == null ? -1 : freezeWatch.standstill().toMillis();
    }

    private void remindReaders(boolean always) {
        long now = System.nanoTime();
        logs.values().forEach(l -> {
            try {
                l.sayWhereReadersAre(now, always);
            } catch (RuntimeException e) {
                log.debug("cannot say where the readers of a log are: {}", e.toString());
            }
        });
    }

    HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** Whether this node stood still past the heartbeat timeout (and so appends nothing any more). */
    boolean isCutOff() {
        return freezeWatch.isCutOff();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Set<String> nodes() {
        return hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
    }

    @Override
    public SharedMap map(String name) {
        return new HazelcastMap(hazelcast.getMap(name));
    }

    @Override
    public SharedLog log(String name, int capacity) {
        return logs.computeIfAbsent(name, n -> {
            // Added as dynamic configuration: the first node to use the log fixes its capacity for all.
            try {
                hazelcast.getConfig().addRingBufferConfig(HazelcastClusterProvider.ringConfig(n, capacity, settings));
            } catch (RuntimeException e) {
                log.debug("ring buffer {} configured already: {}", n, e.getMessage());
            }
            return new HazelcastLog(hazelcast.getRingbuffer(n), capacity, settings.operationTimeout(), timer,
                    positions, () -> hazelcast.getCluster().getMembers().size(), freezeWatch::permits,
                    settings.readerStale());
        });
    }

    @Override
    public Channel channel(String name) {
        ITopic<String> topic = hazelcast.getTopic(name);
        return new Channel() {
            @Override
            public void publish(String message) {
                topic.publish(message);
            }

            @Override
            public Subscription subscribe(Consumer<String> listener) {
                UUID id = topic.addMessageListener(m -> listener.accept(m.getMessageObject()));
                return () -> {
                    try {
                        topic.removeMessageListener(id);
                    } catch (RuntimeException e) {
                        log.debug("cannot remove listener of {}: {}", name, e.getMessage());
                    }
                };
            }
        };
    }

    @Override
    public void addNodeListener(NodeListener listener) {
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                listener.nodeJoined(id(event.getMember()));
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                listener.nodeLeft(id(event.getMember()));
            }
        });
    }

    private static String id(Member member) {
        return member.getUuid().toString();
    }

    @Override
    public void close() {
        logs.values().forEach(HazelcastLog::stop);
        timer.shutdown();
        watching.shutdown();
        try {
            hazelcast.shutdown();
        } catch (RuntimeException e) {
            log.warn("cluster member {} did not leave cleanly", nodeId, e);
        }
    }
}
