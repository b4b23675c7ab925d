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
    @DisplayName("SAY answers STORE_UNAVAILABLE while the store refuses, and members never see a refused message")
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
        // Members see a message only once the store committed it: bob sees none of the refused ones.
        assertThat(bob.pendingAfter(Duration.ofSeconds(2))).noneMatch(l -> l.contains(" MSG #fail "));

        store.failing(false);
        assertThat(alice.command("SAY #fail :kept").reply()).isEqualTo("OK SAY #fail");
        assertThat(bob.event()).endsWith("MSG #fail f_alice :kept");
        var history = bob.command("HISTORY #fail LATEST 100");
        assertThat(history.reply()).isEqualTo("OK HISTORY #fail 1");
    }
}
