package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A listed member whose process is stopped (SIGSTOP, a long pause) still has a kernel that completes TCP handshakes
 * and buffers what it is sent, but it never answers. Hazelcast's unified connection set-up waits for the peer's
 * protocol bytes and meanwhile re-queues its output pipeline without end, so the I/O thread spins and never gets
 * back to its selector: the other connections that thread serves stop sending, heartbeats included, and the two
 * healthy members of a three-node cluster counted each other out (docs/cluster.md, "What splits the survivors").
 * Here the stopped process is a listening socket that is never accepted from.
 */
class UnresponsivePeerTest {

    @Test
    @DisplayName("a connection to a member that accepts but never answers costs no CPU while it waits")
    void connectionToAStoppedMemberDoesNotSpin() throws Exception {
        int port = freePort();
        int stoppedPort = freePort();
        // The stopped member is listed but not there yet, so that this one starts alone at once; Hazelcast's
        // search for other clusters then connects to it every second.
        ClusterSettings settings = new ClusterSettings("unresponsive-peer", "127.0.0.1", port,
                List.of("127.0.0.1:" + port, "127.0.0.1:" + stoppedPort),
                Map.of("hazelcast.heartbeat.interval.seconds", "1", "hazelcast.max.no.heartbeat.seconds", "5",
                        "hazelcast.merge.first.run.delay.seconds", "1", "hazelcast.merge.next.run.delay.seconds", "1"),
                Duration.ofSeconds(5));
        try (HazelcastCluster member = HazelcastClusterProvider.start(settings);
             ServerSocket stopped = new ServerSocket(stoppedPort, 50, InetAddress.getLoopbackAddress())) {
            Thread.sleep(3_000);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = outputThreadsCpu(threads);
            long wall = System.nanoTime();
            Thread.sleep(3_000);
            long spent = TimeUnit.NANOSECONDS.toMillis(outputThreadsCpu(threads) - before);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wall);
            // An idle output thread uses a few milliseconds here; a spinning one as much CPU as time passes.
            assertThat(spent).as("CPU time (ms) of Hazelcast's output I/O threads over %d ms", elapsed)
                    .isLessThan(elapsed / 4);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static long outputThreadsCpu(ThreadMXBean threads) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains(".IO.thread-out-"))
                .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.getId())))
                .sum();
    }
}
