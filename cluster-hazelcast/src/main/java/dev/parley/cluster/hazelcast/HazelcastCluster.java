package dev.parley.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.RingbufferConfig;
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

    private final HazelcastInstance hazelcast;
    private final ClusterSettings settings;
    private final String nodeId;
    private final ConcurrentHashMap<String, HazelcastLog> logs = new ConcurrentHashMap<>();
    /** Topic {@code parley.log.pressure}: lagging readers ask every node to hold its appends to a log. */
    private final ITopic<String> pressure;
    /** Retries held appends; one daemon thread, idle unless a reader lags. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-log-pressure");
        t.setDaemon(true);
        return t;
    });

    HazelcastCluster(HazelcastInstance hazelcast, ClusterSettings settings) {
        this.hazelcast = hazelcast;
        this.settings = settings;
        this.nodeId = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.pressure = hazelcast.getTopic("parley.log.pressure");
        pressure.addMessageListener(message -> {
            String said = message.getMessageObject();
            int space = said.indexOf(' ');
            HazelcastLog target = space < 0 ? null : logs.get(said.substring(space + 1));
            if (target != null) {
                target.pressure(said.startsWith("hold "));
            }
        });
        log.info("cluster member {} joined cluster '{}' with {} member(s)", nodeId, settings.name(), nodes().size());
    }

    HazelcastInstance hazelcast() {
        return hazelcast;
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
                RingbufferConfig ring = new RingbufferConfig(n).setCapacity(capacity);
                if (HazelcastClusterProvider.majority(settings) > 1) {
                    ring.setSplitBrainProtectionName(HazelcastClusterProvider.MAJORITY);
                }
                hazelcast.getConfig().addRingBufferConfig(ring);
            } catch (RuntimeException e) {
                log.debug("ring buffer {} configured already: {}", n, e.getMessage());
            }
            return new HazelcastLog(hazelcast.getRingbuffer(n), capacity, settings.operationTimeout(), timer,
                    said -> pressure.publishAsync(said));
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
        try {
            hazelcast.shutdown();
        } catch (RuntimeException e) {
            log.warn("cluster member {} did not leave cleanly", nodeId, e);
        }
    }
}
