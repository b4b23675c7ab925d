package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.LineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A cluster whose shared store refuses writes: nothing is acknowledged that it did not keep. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterStoreFailureTest {
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<LineClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(LineClient::close);
        nodes.forEach(ClusterNode::close);
    }

    @Test
    @DisplayName("SAY answers STORE_UNAVAILABLE while the store refuses; meanwhile members get one message at a time at most")
    void storeUnavailable() throws Exception {
        FailingStore store = new FailingStore();
        Path spool = Files.createDirectories(Path.of("target", "failing-spool-" + System.nanoTime()));
        nodes.addAll(ClusterNode.startCluster("failing-" + System.nanoTime(), 2, spool, () -> store));
        LineClient alice = nodes.get(0).user("f_alice");
        LineClient bob = nodes.get(1).user("f_bob");
        clients.addAll(List.of(alice, bob));
        assertThat(alice.command("JOIN #fail").reply()).isEqualTo("OK JOIN #fail");
        assertThat(bob.command("JOIN #fail").reply()).isEqualTo("OK JOIN #fail");

        store.failing(true);
        assertThat(alice.command("SAY #fail :refused").reply()).startsWith("ERR SAY STORE_UNAVAILABLE");
        int burst = 50;
        for (int i = 0; i < burst; i++) {
            alice.send("SAY #fail :refused " + i);
        }
        for (int i = 0; i < burst; i++) {
            assertThat(alice.reply()).startsWith("ERR SAY STORE_UNAVAILABLE");
        }
        // After a failed commit the node lets one message at a time into the room's log until the store is back:
        // of a pipelined burst, bob sees a few at most, not all of them.
        long seen = bob.pendingAfter(Duration.ofSeconds(2)).stream().filter(l -> l.contains(" MSG #fail ")).count();
        assertThat(seen).isLessThan(burst / 5);

        store.failing(false);
        assertThat(alice.command("SAY #fail :kept").reply()).isEqualTo("OK SAY #fail");
        // (bob's earlier lines, the few refused messages he saw, are still unread)
        while (!bob.event().endsWith("MSG #fail f_alice :kept")) {
            assertThat(bob.isClosed()).isFalse();
        }
        var history = bob.command("HISTORY #fail LATEST 100");
        assertThat(history.reply()).isEqualTo("OK HISTORY #fail 1");
    }
}
