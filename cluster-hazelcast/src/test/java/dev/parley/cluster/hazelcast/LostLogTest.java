package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.LineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hazelcast keeps a room's log in memory: a split of the cluster can leave it empty, numbering from 1 again
 * (a 10-minute soak saw it). Members must never see a msgid twice, nor one below a msgid they saw: the
 * servers notice, refuse what the new log numbered under the old numbering, and number the room anew above
 * the store's highest msgid.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LostLogTest {
    private static final Pattern MSGID = Pattern.compile("msgid=(\\d+)");

    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<LineClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(LineClient::close);
        nodes.forEach(ClusterNode::close);
    }

    @Test
    @DisplayName("the room's log is lost: no msgid is given twice, members see them increase, every OK'd message arrives")
    void logLost() throws Exception {
        Path spool = Files.createDirectories(Path.of("target", "lost-spool-" + System.nanoTime()));
        nodes.addAll(ClusterNode.startCluster("lost-" + System.nanoTime(), 2, spool));
        LineClient alice = nodes.get(0).user("l_alice");
        LineClient bob = nodes.get(1).user("l_bob");
        LineClient carol = nodes.get(1).user("l_carol");
        clients.addAll(List.of(alice, bob, carol));
        for (LineClient c : List.of(alice, bob, carol)) {
            assertThat(c.command("JOIN #lost").reply()).isEqualTo("OK JOIN #lost");
        }
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            assertThat(alice.command("SAY #lost :before " + i).reply()).isEqualTo("OK SAY #lost");
            acked.add("before " + i);
        }
        assertThat(messages(bob, 20)).containsExactlyElementsOf(acked);

        nodes.get(0).cluster.hazelcast().getRingbuffer("parley.chat.log.#lost").destroy();

        // Both servers say on: the first messages after the loss may be refused (say it again), none is lost.
        for (int i = 0; i < 40; i++) {
            LineClient who = i % 2 == 0 ? alice : carol;
            String reply = who.command("SAY #lost :after " + i).reply();
            if (reply.equals("OK SAY #lost")) {
                acked.add("after " + i);
            } else {
                assertThat(reply).startsWith("ERR SAY CLUSTER_UNAVAILABLE");
            }
        }
        assertThat(acked.size()).as("messages acknowledged").isGreaterThan(20 + 30);
        // bob sees every acknowledged message once, in order, and nothing that was refused.
        assertThat(messages(bob, acked.size() - 20)).containsExactlyElementsOf(acked.subList(20, acked.size()));
        assertThat(bob.pendingAfter(Duration.ofMillis(500))).noneMatch(line -> line.contains(" MSG #lost "));
        assertThat(msgidsSeen).as("msgids bob saw, in order").isSorted().doesNotHaveDuplicates();
        assertThat(bob.command("HISTORY #lost LATEST 100").reply()).isEqualTo("OK HISTORY #lost " + acked.size());
    }

    private final List<Long> msgidsSeen = new ArrayList<>();

    /** The next n MSG lines the client receives (their text), noting their msgids. */
    private List<String> messages(LineClient c, int n) {
        List<String> texts = new ArrayList<>();
        while (texts.size() < n) {
            String event = c.event();
            if (!event.contains(" MSG #lost ")) {
                continue;
            }
            Matcher m = MSGID.matcher(event);
            assertThat(m.find()).as(event).isTrue();
            msgidsSeen.add(Long.parseLong(m.group(1)));
            texts.add(event.substring(event.indexOf(" :") + 2));
        }
        return texts;
    }
}
