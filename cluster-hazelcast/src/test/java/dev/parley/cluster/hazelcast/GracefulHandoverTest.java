package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart's step: node 2 stops gracefully while alice (node 1) keeps talking to bob (node 2). bob's
 * client is told where to go ({@code @next}), resumes there and has every message alice got {@code OK} for;
 * nobody sees bob leave or join.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulHandoverTest {
    private List<ClusterNode> nodes;

    @BeforeAll
    void startCluster() throws Exception {
        Path spool = Files.createDirectories(Path.of("target", "handover-spool-" + System.nanoTime()));
        nodes = new ArrayList<>(ClusterNode.startCluster("parley-handover-" + System.nanoTime(), 3, spool));
    }

    @AfterAll
    void stopCluster() {
        if (nodes != null) {
            nodes.forEach(ClusterNode::close);
        }
    }

    @Test
    @DisplayName("a node stopped gracefully hands its sessions over: @next BYE SHUTDOWN, RESUME elsewhere, nothing lost, no LEFT")
    void gracefulStopHandsOver() throws Exception {
        ClusterNode stopping = nodes.get(1);
        try (LineClient alice = nodes.get(0).user("h_alice");
             LineClient carol = nodes.get(2).user("h_carol");
             LineClient bob = stopping.connect()) {
            String token = bob.command("NICK h_bob").reply().split(" ")[3];
            for (LineClient c : List.of(alice, bob, carol)) {
                assertThat(c.command("JOIN #roll").reply()).isEqualTo("OK JOIN #roll");
            }
            assertThat(event(alice)).isEqualTo("JOINED #roll h_bob");
            assertThat(event(alice)).isEqualTo("JOINED #roll h_carol");
            assertThat(event(bob)).isEqualTo("JOINED #roll h_carol");

            // alice talks on while node 2 stops; bob reads everything until the server's goodbye.
            CompletableFuture<Void> stop = new CompletableFuture<>();
            int total = 200;
            for (int i = 0; i < total; i++) {
                alice.send("SAY #roll :n" + i);
                if (i == 50) {
                    CompletableFuture.runAsync(stopping::close).whenComplete((v, e) -> stop.complete(null));
                }
            }
            for (int i = 0; i < total; i++) {
                assertThat(alice.reply()).isEqualTo("OK SAY #roll");
            }
            Map<Long, String> seenByBob = new LinkedHashMap<>();
            long lastSeq = 0;
            Frame bye;
            while (true) {
                Frame f = bob.nextFrame();
                if ("BYE".equals(f.verb())) {
                    bye = f;
                    break;
                }
                if ("MSG".equals(f.verb())) {
                    seenByBob.put(Long.parseLong(f.tag("msgid")), f.trailing());
                }
                if (f.tag("seq") != null) {
                    lastSeq = Long.parseLong(f.tag("seq"));
                }
            }
            assertThat(bye.param(0)).isEqualTo("SHUTDOWN");
            String next = bye.tag("next");
            assertThat(next).as("the BYE names another node").isIn(
                    "127.0.0.1:" + nodes.get(0).address.getPort(), "127.0.0.1:" + nodes.get(2).address.getPort());
            stop.get(30, TimeUnit.SECONDS);

            try (LineClient bobAgain = LineClient.connect(new InetSocketAddress("127.0.0.1",
                    Integer.parseInt(next.substring(next.lastIndexOf(':') + 1))), ClusterNode.CLIENT_TIMEOUT)) {
                Answer resumed = bobAgain.command("RESUME " + token + " " + lastSeq);
                assertThat(resumed.reply()).startsWith("OK RESUME h_bob ");
                for (String line : resumed.lines()) {
                    Frame f = dev.parley.core.protocol.FrameParser.parse(line);
                    if ("MSG".equals(f.verb())) {
                        seenByBob.put(Long.parseLong(f.tag("msgid")), f.trailing());
                    }
                }
                List<String> texts = new ArrayList<>(seenByBob.values());
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    expected.add("n" + i);
                }
                assertThat(texts).as("every acknowledged message, once, in order").containsExactlyElementsOf(expected);
                assertThat(new ArrayList<>(seenByBob.keySet())).isSorted();

                for (int i = 0; i < total; i++) {
                    assertThat(event(carol)).endsWith("MSG #roll h_alice :n" + i);
                }
                assertThat(bobAgain.command("SAY #roll :back").reply()).isEqualTo("OK SAY #roll");
                assertThat(event(alice)).endsWith("MSG #roll h_bob :back");
                assertThat(event(carol)).endsWith("MSG #roll h_bob :back");
                assertThat(carol.command("WHO #roll").lines())
                        .containsExactly("MEMBER #roll h_alice", "MEMBER #roll h_bob", "MEMBER #roll h_carol");
                // After node 2 has left and the resume grace (1 s here) passed, still nobody saw bob go.
                Thread.sleep(2_000);
                assertThat(alice.pending()).noneMatch(l -> l.contains("LEFT") || l.contains("JOINED"));
                assertThat(carol.pending()).noneMatch(l -> l.contains("LEFT") || l.contains("JOINED"));
                assertThat(alice.command("NICK h_bob").reply()).startsWith("ERR NICK NICK_IN_USE");
            }
        } finally {
            nodes.remove(stopping);
        }
    }

    private static String event(LineClient c) {
        return c.event().replaceFirst("^@seq=\\d+ ", "").replaceFirst("^@seq=\\d+;", "@");
    }
}
