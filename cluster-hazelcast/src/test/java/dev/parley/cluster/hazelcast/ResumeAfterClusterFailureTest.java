package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

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
 * protocol.md: a RESUME answered CLUSTER_UNAVAILABLE leaves the token valid, so the client tries again. Before,
 * a take-over that failed half-way had used up both the token and the session's checkpoint record, and the
 * retry met NO_SUCH_SESSION: in the soak of 9c60c83 sessions were lost that way.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResumeAfterClusterFailureTest {
    private final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(ClusterNode::crash);
    }

    @Test
    @DisplayName("a take-over the cluster fails before the session moves answers CLUSTER_UNAVAILABLE; the retry resumes it")
    void retryAfterAFailedTakeOver() throws Exception {
        Path spool = Files.createDirectories(Path.of("target", "retry-spool-" + System.nanoTime()));
        // A grace long enough that the departed node's clean-up does not end the session during the test.
        nodes.addAll(ClusterNode.startCluster("parley-retry-" + System.nanoTime(), 3, spool, () -> null,
                Map.of("parley.heartbeat.resume-grace", "30s")));
        LineClient bob = nodes.get(2).connect();
        String token = bob.command("NICK r_bob").reply().split(" ")[3];
        assertThat(bob.command("JOIN #retry").reply()).isEqualTo("OK JOIN #retry");
        Thread.sleep(1_000); // bob's server records how far he got (every 100 ms)
        ClusterNode dead = nodes.remove(2);
        dead.crash();
        bob.close();

        ClusterNode survivor = nodes.get(0);
        // The take-over claims the checkpoint, then reads the nick's owner: that read fails.
        survivor.faults.failNextRead("parley.chat.nicks", "r_bob");
        String first = resumeOnceGone(survivor, token);
        assertThat(first).startsWith("ERR RESUME CLUSTER_UNAVAILABLE");
        try (LineClient again = survivor.connect()) {
            assertThat(again.command("RESUME " + token).reply()).startsWith("OK RESUME r_bob ");
            assertThat(again.command("SAY #retry :back").reply()).isEqualTo("OK SAY #retry");
        }
    }

    /** RESUME until the cluster has counted the dead node out (SESSION_ELSEWHERE before). */
    private static String resumeOnceGone(ClusterNode node, String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (LineClient c = node.connect()) {
                String reply = c.command("RESUME " + token).reply();
                if (!reply.startsWith("ERR RESUME SESSION_ELSEWHERE") || System.nanoTime() > deadline) {
                    return reply;
                }
            }
            Thread.sleep(100);
        }
    }
}
