package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.RoomReader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producer flow control for a room's messages that the cluster's log delivers (docs/protocol.md, "Flow
 * control"): the log's reader fans them out on the sender's server after the sender's SAY was answered, and
 * the sender still waits for a member there that reads slowly, which is never cut off.
 */
@DisplayName("flow control in a cluster")
@Timeout(240)
class ClusterFlowControlTest {
    private static final String TEXT = "c".repeat(1000);

    @TempDir
    Path spool;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    @DisplayName("two publishers pipelining into a room: a member reading at about 800 KB/s behind a 4 KiB window is never cut off")
    void slowReaderThatKeepsReadingIsNeverCutOff() throws Exception {
        List<ClusterNode> nodes = ClusterNode.startCluster("flow-" + UUID.randomUUID(), 2, spool, () -> null, Map.of(
                "parley.limits.flow-high-water", 65536, "parley.limits.flow-low-water", 16384,
                "parley.limits.max-stall", "10ms", "parley.limits.max-pending-bytes", 524288,
                "parley.limits.slow-consumer-timeout", "10s"));
        nodes.forEach(node -> open.add(node));
        InetSocketAddress address = nodes.get(0).address;
        int n = 3000; // per publisher: 6 MB, more than the kernel's buffers take on the way to the slow reader

        RoomReader slow = RoomReader.join(address, "#lobby", "slow", 4096, 5);
        RoomReader p1 = RoomReader.join(address, "#lobby", "p1", 0, 0);
        RoomReader p2 = RoomReader.join(address, "#lobby", "p2", 0, 0);
        open.add(slow);
        open.add(p1);
        open.add(p2);
        CompletableFuture<Integer> slowGot = slow.countMessages(List.of("p1", "p2"), n, TEXT);
        CompletableFuture<Integer> oks1 = p1.countLines("OK SAY #lobby", n);
        CompletableFuture<Integer> oks2 = p2.countLines("OK SAY #lobby", n);
        CompletableFuture<Void> sent1 = CompletableFuture.runAsync(() -> p1.sayNumbered(n, TEXT));
        CompletableFuture<Void> sent2 = CompletableFuture.runAsync(() -> p2.sayNumbered(n, TEXT));

        assertThat(oks1.get(120, TimeUnit.SECONDS)).isEqualTo(n);
        assertThat(oks2.get(120, TimeUnit.SECONDS)).isEqualTo(n);
        sent1.get(10, TimeUnit.SECONDS);
        sent2.get(10, TimeUnit.SECONDS);
        assertThat(slowGot.get(60, TimeUnit.SECONDS)).as("messages the slow reader received").isEqualTo(2 * n);
        assertThat(nodes.get(0).core.totals().stalls()).as("commands that waited").isPositive();
        assertThat(nodes.get(0).core.totals().slowConsumerCutOffs()).isZero();
    }
}
