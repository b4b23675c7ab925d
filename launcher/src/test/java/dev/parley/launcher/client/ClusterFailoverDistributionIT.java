package dev.parley.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.ParleyProcess;
import dev.parley.testkit.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #8's acceptance with real processes: three clustered servers on loopback, alice on node 1, a piped
 * {@code parley chat} as bob on node 2 (with node 3 as its {@code --fallback}), carol on node 3; node 2 is
 * killed with SIGKILL and bob's chat resumes on node 3 missing nothing while alice and carol go on.
 */
class ClusterFailoverDistributionIT {
    @TempDir
    Path tmp;

    private final List<ParleyProcess> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(parley -> parley.process.destroyForcibly());
    }

    @Test
    @DisplayName("kill -9 of bob's node: his chat resumes on another node with what he missed; nobody sees him leave")
    void failover() throws Exception {
        int[] members = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
        List<ParleyProcess> nodes = new ArrayList<>();
        for (int member : members) {
            nodes.add(start("server", "--port", "0", "--config", config(member, members).toString()));
        }
        int node1 = nodes.get(0).awaitPort();
        int node2 = nodes.get(1).awaitPort();
        int node3 = nodes.get(2).awaitPort();

        try (RawClient alice = RawClient.member(node1, "alice", "#ops");
             RawClient carol = RawClient.member(node3, "carol", "#ops")) {
            alice.await(line -> line.endsWith("JOINED #ops carol"));
            ParleyProcess bob = start("chat", "--port", Integer.toString(node2), "--fallback", "127.0.0.1:" + node3,
                    "--nick", "bob", "--room", "#ops", "--reconnect-initial", "0.2", "--reconnect-max", "1");
            bob.awaitLine(line -> line.contains("You joined #ops"));
            alice.await(line -> line.endsWith("JOINED #ops bob"));
            alice.send("SAY #ops :before the crash");
            bob.awaitLine(line -> line.contains("before the crash"));
            Thread.sleep(500); // node 2 records how far bob got (every 100 ms)

            nodes.get(1).process.destroyForcibly(); // SIGKILL
            nodes.get(1).process.waitFor();
            alice.send("SAY #ops :while node 2 is dead");
            alice.await(line -> line.startsWith("OK SAY"));
            carol.send("TELL bob :psst, it crashed");
            carol.await(line -> line.startsWith("OK TELL"));

            bob.awaitLine(line -> line.contains("Reconnected: same nick, same rooms"));
            // Sent before or after the takeover, depending on how fast it was: either way both arrive, in the
            // RESUME's backlog or live just after it.
            List<String> missed = List.of("[#ops] alice: while node 2 is dead", "*carol* whispers: psst, it crashed");
            for (long deadline = System.nanoTime() + 10_000_000_000L;
                 !missed.stream().allMatch(bob.output()::contains) && System.nanoTime() < deadline; ) {
                Thread.sleep(50);
            }
            assertThat(bob.output()).as(() -> "node 3 said:\n" + nodes.get(2).output())
                    .contains(missed).doesNotContain("Exception");
            try (OutputStream stdin = bob.process.getOutputStream()) {
                stdin.write("back on node 3\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                assertThat(alice.await(line -> line.contains(" MSG ") || line.contains("LEFT #ops bob")))
                        .endsWith("MSG #ops bob :back on node 3");
                assertThat(carol.await(line -> line.contains("bob :back") || line.contains("LEFT #ops bob")))
                        .endsWith("MSG #ops bob :back on node 3");
            }
            assertThat(bob.awaitExit()).as(bob::output).isZero();
            // The piped chat QUITs at the end of its input: only now does the room see bob leave.
            assertThat(carol.await(line -> line.contains("LEFT #ops bob"))).endsWith("LEFT #ops bob :quit");
            carol.send("WHO #ops");
            assertThat(carol.await(line -> line.startsWith("OK WHO"))).isEqualTo("OK WHO #ops 2");
        }
    }

    /** A server's configuration: this node's member port, every node's, quick failure detection. */
    private Path config(int member, int[] members) throws IOException {
        StringBuilder all = new StringBuilder();
        for (int m : members) {
            all.append(all.length() == 0 ? "" : ", ").append("\"127.0.0.1:").append(m).append('"');
        }
        Path file = tmp.resolve("node-" + member + ".conf");
        Files.writeString(file, """
                parley.server.host = 127.0.0.1
                parley.cluster {
                  enabled = true
                  name = failover-it-%d
                  host = 127.0.0.1
                  port = %d
                  members = [%s]
                  hazelcast {
                    "hazelcast.heartbeat.interval.seconds" = 1
                    "hazelcast.max.no.heartbeat.seconds" = 5
                  }
                }
                parley.filetransfer.spool-dir = "%s"
                # Each node its own memory store: failover of sessions is under test, not a shared store
                # (a real cluster shares one PostgreSQL; SQLite is refused in a cluster).
                parley.store.url = "memory:"
                """.formatted(members[0], member, all, tmp.resolve("spool")));
        return file;
    }

    private ParleyProcess start(String... args) throws IOException {
        ParleyProcess parley = ParleyProcess.start(tmp, args);
        started.add(parley);
        return parley;
    }
}
