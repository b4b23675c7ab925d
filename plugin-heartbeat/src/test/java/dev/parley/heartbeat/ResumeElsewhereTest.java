package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionRetention;
import dev.parley.core.spi.cluster.Channel;
import dev.parley.core.spi.cluster.ClusterException;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.NodeListener;
import dev.parley.core.spi.cluster.SessionHandover;
import dev.parley.core.spi.cluster.SharedLog;
import dev.parley.core.spi.cluster.SharedMap;
import dev.parley.testkit.TestClient;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * RESUME of a session another server of a cluster held, against a stand-in cluster whose token index is a map
 * and whose take-over answers what the test scripts. A try the cluster fails half-way (CLUSTER_UNAVAILABLE tells
 * the client to try again) must leave the token for the next one: using it up first lost sessions in a soak.
 */
class ResumeElsewhereTest extends ServerHarness {
    private static final String TOKEN = "c2Vzc2lvbi1vZi1hbm90aGVy";

    private final StandInCluster cluster = new StandInCluster();

    @Test
    @DisplayName("CLUSTER_UNAVAILABLE leaves the token for the next try; a final answer spends it")
    void failedTryKeepsTheToken() {
        start(QUIET, cluster, new HeartbeatPlugin(), rooms);
        cluster.tokens.put(ClusterTokens.hash(TOKEN), "departed-node\n7");
        cluster.outcomes.add(() -> {
            throw new ClusterException("the cluster did not serve parley.chat.cursors: no majority", null);
        });
        cluster.outcomes.add(() -> new SessionHandover.Result(SessionHandover.Outcome.STILL_HOSTED, null));
        cluster.outcomes.add(() -> new SessionHandover.Result(SessionHandover.Outcome.NO_SUCH_SESSION, null));

        assertThat(resume()).startsWith("ERR RESUME CLUSTER_UNAVAILABLE");
        assertThat(resume()).startsWith("ERR RESUME SESSION_ELSEWHERE");
        assertThat(cluster.tokens).containsKey(ClusterTokens.hash(TOKEN));
        assertThat(resume()).startsWith("ERR RESUME NO_SUCH_SESSION");
        assertThat(cluster.tokens).doesNotContainKey(ClusterTokens.hash(TOKEN));
        // Spent: the next try does not reach the take-over at all.
        assertThat(resume()).startsWith("ERR RESUME NO_SUCH_SESSION");
        assertThat(cluster.tries).hasValue(3);
        assertThat(cluster.asked).containsOnly("departed-node/7");
    }

    private String resume() {
        try (TestClient c = connect()) {
            return c.send("RESUME " + TOKEN + " 0").reply();
        }
    }

    /** Provides a {@link ClusterService} of plain maps and a scripted {@link SessionHandover}. */
    private static final class StandInCluster implements ParleyPlugin, ClusterService, SessionHandover {
        final Map<String, String> tokens = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Supplier<Result>> outcomes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
        final AtomicInteger tries = new AtomicInteger();

        @Override
        public String name() {
            return "stand-in-cluster";
        }

        @Override
        public void start(PluginContext context) {
            context.provide(ClusterService.class, this);
            context.provide(SessionHandover.class, this);
        }

        @Override
        public Result takeOver(Session into, String node, long sessionId, OptionalLong lastSeq,
                               SessionRetention retention) {
            tries.incrementAndGet();
            asked.add(node + "/" + sessionId);
            return outcomes.remove().get();
        }

        @Override
        public String nodeId() {
            return "this-node";
        }

        @Override
        public Set<String> nodes() {
            return Set.of("this-node");
        }

        @Override
        public SharedMap map(String name) {
            if (!name.equals("parley.heartbeat.tokens")) {
                throw new UnsupportedOperationException("this test serves only the token index, not " + name);
            }
            return new SharedMap() {
                @Override
                public Optional<String> get(String key) {
                    return Optional.ofNullable(tokens.get(key));
                }

                @Override
                public Optional<String> putIfAbsent(String key, String value) {
                    return Optional.ofNullable(tokens.putIfAbsent(key, value));
                }

                @Override
                public void put(String key, String value) {
                    tokens.put(key, value);
                }

                @Override
                public boolean remove(String key, String value) {
                    return tokens.remove(key, value);
                }

                @Override
                public Map<String, String> snapshot() {
                    return Map.copyOf(tokens);
                }

                @Override
                public int size() {
                    return tokens.size();
                }
            };
        }

        @Override
        public SharedLog log(String name, int capacity) {
            throw new UnsupportedOperationException("no logs in this test");
        }

        @Override
        public Channel channel(String name) {
            throw new UnsupportedOperationException("no channels in this test");
        }

        @Override
        public void addNodeListener(NodeListener listener) {
        }

        @Override
        public void close() {
        }
    }
}
