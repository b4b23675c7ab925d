package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.testkit.Answer;
import dev.parley.testkit.LineClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bob's node stops while alice keeps talking, and bob resumes on the one node where nobody is in the room: that
 * node opens the room for him while alice's messages are still being committed. He must get each of them once,
 * in order: those before the room opened there from his backlog (as their markers, or the store, say they were
 * kept), the later ones live.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HandoverUnderTrafficTest {
    private final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(ClusterNode::close);
    }

    @Test
    @DisplayName("resumed on a node without the room while messages are on their way: each acknowledged one once, in order")
    void resumeOntoFreshRoomUnderTraffic() throws Exception {
        Path spool = Files.createDirectories(Path.of("target", "traffic-spool-" + System.nanoTime()));
        nodes.addAll(ClusterNode.startCluster("parley-traffic-" + System.nanoTime(), 3, spool));
        ClusterNode stopping = nodes.get(1);
        ClusterNode empty = nodes.get(2);
        AtomicBoolean resumed = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        try (LineClient alice = nodes.get(0).user("t_alice");
             LineClient bob = stopping.connect()) {
            String token = bob.command("NICK t_bob").reply().split(" ")[3];
            assertThat(alice.command("JOIN #busy").reply()).isEqualTo("OK JOIN #busy");
            assertThat(bob.command("JOIN #busy").reply()).isEqualTo("OK JOIN #busy");

            // alice says a message every 2 ms from another thread, answered or not, until 300 ms after bob resumed.
            CompletableFuture<Void> talking = CompletableFuture.runAsync(() -> {
                long until = Long.MAX_VALUE;
                for (int i = 0; System.nanoTime() < until; i++) {
                    alice.send("SAY #busy :n" + i);
                    sent.incrementAndGet();
                    if (until == Long.MAX_VALUE && resumed.get()) {
                        until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                    }
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            Map<Long, String> seen = new LinkedHashMap<>();
            long lastSeq = 0;
            while (seen.size() < 100) {
                Frame f = bob.nextFrame();
                if ("MSG".equals(f.verb())) {
                    seen.put(Long.parseLong(f.tag("msgid")), f.trailing());
                }
                if (f.tag("seq") != null) {
                    lastSeq = Long.parseLong(f.tag("seq"));
                }
            }
            nodes.remove(stopping); // closed here, not by stop()
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(stopping::close);
            while (true) {
                Frame f = bob.nextFrame();
                if ("BYE".equals(f.verb())) {
                    break;
                }
                if ("MSG".equals(f.verb())) {
                    seen.put(Long.parseLong(f.tag("msgid")), f.trailing());
                }
                if (f.tag("seq") != null) {
                    lastSeq = Long.parseLong(f.tag("seq"));
                }
            }
            try (LineClient bobAgain = LineClient.connect(new InetSocketAddress("127.0.0.1",
                    empty.address.getPort()), ClusterNode.CLIENT_TIMEOUT)) {
                Answer answer = bobAgain.command("RESUME " + token + " " + lastSeq);
                resumed.set(true);
                assertThat(answer.reply()).startsWith("OK RESUME t_bob ");
                for (String line : answer.lines()) {
                    Frame f = FrameParser.parse(line);
                    if ("MSG".equals(f.verb())) {
                        seen.put(Long.parseLong(f.tag("msgid")), f.trailing());
                    }
                }
                talking.get(30, TimeUnit.SECONDS);
                int total = sent.get();
                int acknowledged = 0;
                for (int i = 0; i < total; i++) {
                    if (alice.reply().equals("OK SAY #busy")) {
                        acknowledged++;
                    }
                }
                assertThat(acknowledged).isEqualTo(total);
                while (seen.size() < total) {
                    Frame f = bobAgain.nextFrame();
                    if ("MSG".equals(f.verb())) {
                        assertThat(seen.put(Long.parseLong(f.tag("msgid")), f.trailing())).as("a second copy of "
                                + f).isNull();
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    expected.add("n" + i);
                }
                assertThat(new ArrayList<>(seen.values())).as("every acknowledged message, once, in order")
                        .containsExactlyElementsOf(expected);
                assertThat(new ArrayList<>(seen.keySet())).isSorted();
            }
            stopped.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("RESUME is answered at once although the room's log holds messages whose markers never come")
    void resumeDoesNotWaitForMarkersThatNeverCome() throws Exception {
        Path spool = Files.createDirectories(Path.of("target", "traffic-spool-" + System.nanoTime()));
        nodes.addAll(ClusterNode.startCluster("parley-unmarked-" + System.nanoTime(), 3, spool));
        ClusterNode stopping = nodes.get(1);
        ClusterNode empty = nodes.get(2);
        try (LineClient alice = nodes.get(0).user("u_alice");
             LineClient bob = stopping.connect()) {
            String token = bob.command("NICK u_bob").reply().split(" ")[3];
            assertThat(alice.command("JOIN #stuck").reply()).isEqualTo("OK JOIN #stuck");
            assertThat(bob.command("JOIN #stuck").reply()).isEqualTo("OK JOIN #stuck");
            assertThat(alice.command("SAY #stuck :before").reply()).isEqualTo("OK SAY #stuck");
            long lastSeq = 0;
            while (true) {
                Frame f = bob.nextFrame();
                lastSeq = f.tag("seq") != null ? Long.parseLong(f.tag("seq")) : lastSeq;
                if ("MSG".equals(f.verb())) {
                    break;
                }
            }
            // Messages a live server numbered and will never mark (as if its commits hung): five of them.
            var log = nodes.get(0).cluster.log("parley.chat.log.#stuck", 5000);
            for (int i = 0; i < 5; i++) {
                log.appendNumbered(String.join("\n", nodes.get(0).cluster.nodeId(), "999", "u_ghost",
                        "2026-12-07T00:00:00Z", "0", "never marked " + i), Duration.ofSeconds(5));
            }
            nodes.remove(stopping);
            stopping.close();
            try (LineClient bobAgain = LineClient.connect(new InetSocketAddress("127.0.0.1",
                    empty.address.getPort()), ClusterNode.CLIENT_TIMEOUT)) {
                long started = System.nanoTime();
                Answer answer = bobAgain.command("RESUME " + token + " " + lastSeq);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(answer.reply()).startsWith("OK RESUME u_bob ");
                // The client library gives RESUME 6 s; waiting for the markers of every message cost more.
                assertThat(millis).as("RESUME answered after %d ms", millis).isLessThan(3_000);
                assertThat(answer.lines()).noneMatch(line -> line.contains("never marked"));
                assertThat(alice.command("SAY #stuck :after").reply()).isEqualTo("OK SAY #stuck");
            }
        }
    }
}
