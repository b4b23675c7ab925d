package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.FreePorts;
import dev.parley.testkit.LineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A departed node's nicks are freed by the clean-up that the others run after the resume grace. When that
 * clean-up meets a cluster without a majority it must try again: the 10-minute soak of f7c7ce8 lost it once on
 * a node that had just gathered a majority again, nobody else ever ran it, and the clients that later
 * registered those nicks met NICK_IN_USE for good.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DepartedNodeCleanUpTest {
    private static final int GRACE_SECONDS = 4;

    private final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(ClusterNode::crash);
    }

    @Test
    @DisplayName("a clean-up refused for want of a majority is tried again once there is one: the nick is free")
    void cleanUpRetriedOnceMajorityReturns() throws Exception {
        Path spool = Files.createDirectories(Path.of("target", "cleanup-spool-" + System.nanoTime()));
        String name = "parley-cleanup-" + System.nanoTime();
        // A grace long enough that the survivor has surely found itself alone when its clean-up runs.
        nodes.addAll(ClusterNode.startCluster(name, 3, spool, () -> null,
                Map.of("parley.heartbeat.resume-grace", GRACE_SECONDS + "s")));
        ClusterNode survivor = nodes.get(0);
        LineClient carol = nodes.get(2).user("carol");
        try (LineClient other = survivor.connect()) {
            assertThat(other.command("NICK carol").reply()).startsWith("ERR NICK NICK_IN_USE");
        }
        // Both others die at once, carol's connection with them: the survivor alone is no majority (min-members
        // 2), so its clean-up after the resume grace is refused.
        ClusterNode second = nodes.remove(1);
        ClusterNode third = nodes.remove(1);
        second.crash();
        third.crash();
        carol.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (survivor.cluster.nodes().size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(survivor.cluster.nodes()).hasSize(1);
        Thread.sleep(TimeUnit.SECONDS.toMillis(GRACE_SECONDS) + 1_500); // past the grace: the clean-up ran, and failed
        try (LineClient dave = survivor.connect()) {
            assertThat(dave.command("NICK carol").reply()).startsWith("ERR NICK CLUSTER_UNAVAILABLE");
        }

        // A new member joins: a majority again. It never knew the departed nodes, so only the survivor's
        // retried clean-up can free the nick.
        int port = FreePorts.next();
        ClusterNode newcomer = ClusterNode.start(name, port, List.of(survivor.member, "127.0.0.1:" + port), spool);
        nodes.add(newcomer);
        String reply = "";
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (LineClient erin = newcomer.connect()) {
                reply = erin.command("NICK carol").reply();
            }
            if (reply.startsWith("OK NICK carol")) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(reply).startsWith("OK NICK carol");
    }
}
