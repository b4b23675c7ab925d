package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.store.jdbc.JdbcStoreProvider;
import dev.parley.testkit.Answer;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.store.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three real servers on loopback, each with its own connections to one real PostgreSQL database, as a cluster is
 * run: a room's history is the shared store's, numbered by the room's log and committed by the server whose
 * session sent each message; it survives a restart of every node, with msgids going on above the old ones.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("A cluster keeps its rooms in one shared PostgreSQL store")
class SharedStoreClusterTest {
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<MessageStore> stores = new ArrayList<>();
    private final List<LineClient> clients = new ArrayList<>();
    private String url;
    private Path spool;

    @BeforeEach
    void database() throws IOException {
        url = PostgresServer.shared().newDatabase();
        spool = Files.createDirectories(Path.of("target", "store-spool-" + System.nanoTime()));
    }

    @AfterEach
    void stop() {
        stopEverything();
    }

    @Test
    @DisplayName("HISTORY on any node pages, in every form, what members of every node said, as it was delivered")
    void historyAcrossNodes() throws Exception {
        List<ClusterNode> cluster = cluster();
        LineClient alice = user(cluster.get(0), "h_alice");
        LineClient bob = user(cluster.get(1), "h_bob");
        LineClient carol = user(cluster.get(2), "h_carol");
        LineClient dave = user(cluster.get(2), "h_dave");
        for (LineClient c : List.of(alice, bob, carol, dave)) {
            assertThat(c.command("JOIN #hist").reply()).isEqualTo("OK JOIN #hist");
        }
        int each = 10;
        for (int i = 0; i < each; i++) {
            alice.send("SAY #hist :alice's " + i);
            bob.send("SAY #hist :bob's " + i);
            carol.send("SAY #hist :carol's " + i);
        }
        for (LineClient c : List.of(alice, bob, carol)) {
            for (int i = 0; i < each; i++) {
                assertThat(c.reply()).isEqualTo("OK SAY #hist");
            }
        }
        // dave joined last and said nothing: what he received is every message, as delivered live.
        List<String> live = new ArrayList<>();
        while (live.size() < 3 * each) {
            String event = withoutSeq(dave.event());
            if (event.contains(" MSG #hist ")) {
                live.add(event);
            }
        }
        List<Long> msgids = live.stream().map(SharedStoreClusterTest::msgid).toList();
        assertThat(msgids).isSorted().doesNotHaveDuplicates();

        assertThat(history(alice, "HISTORY #hist LATEST 100")).containsExactlyElementsOf(live);
        assertThat(history(bob, "HISTORY #hist 3")).containsExactlyElementsOf(live.subList(27, 30));
        assertThat(history(carol, "HISTORY #hist BEFORE " + msgids.get(10) + " 5"))
                .containsExactlyElementsOf(live.subList(5, 10));
        assertThat(history(dave, "HISTORY #hist AFTER " + msgids.get(19) + " 5"))
                .containsExactlyElementsOf(live.subList(20, 25));
        assertThat(history(alice, "HISTORY #hist AROUND " + msgids.get(15) + " 4"))
                .containsExactlyElementsOf(live.subList(13, 17));
        assertThat(history(bob, "HISTORY #hist BETWEEN " + msgids.get(7) + " " + msgids.get(2)))
                .containsExactlyElementsOf(live.subList(3, 7));
        assertThat(history(carol, "HISTORY #hist BETWEEN 2000-01-01T00:00:00Z " + msgids.get(3)))
                .containsExactlyElementsOf(live.subList(0, 3));
        assertThat(carol.command("HISTORY #hist BEFORE " + (msgids.get(29) + 1_000_000)).reply())
                .startsWith("ERR HISTORY NO_SUCH_MESSAGE");
        // Each node committed its own sessions' messages to the one database.
        List<StoredMessage> kept = stores.get(0).page("#hist", Page.latest(100));
        assertThat(kept).extracting(StoredMessage::msgid).containsExactlyElementsOf(msgids);
        assertThat(kept).extracting(StoredMessage::sender).containsOnly("h_alice", "h_bob", "h_carol");
    }

    @Test
    @DisplayName("after a restart of every node, history, msgids and the topic are kept, and new msgids lie above the old")
    void wholeClusterRestart() throws Exception {
        List<ClusterNode> before = cluster();
        LineClient alice = user(before.get(0), "r_alice");
        LineClient bob = user(before.get(1), "r_bob");
        assertThat(alice.command("JOIN #keep").reply()).isEqualTo("OK JOIN #keep");
        assertThat(bob.command("JOIN #keep").reply()).isEqualTo("OK JOIN #keep");
        assertThat(alice.command("TOPIC #keep :kept across restarts").reply()).isEqualTo("OK TOPIC #keep");
        int count = 20;
        for (int i = 0; i < count; i++) {
            alice.send("SAY #keep :before " + i);
        }
        for (int i = 0; i < count; i++) {
            assertThat(alice.reply()).isEqualTo("OK SAY #keep");
        }
        List<String> received = new ArrayList<>();
        while (received.size() < count) {
            String event = withoutSeq(bob.event());
            if (event.contains(" MSG #keep ")) {
                received.add(event);
            }
        }
        long lastBefore = msgid(received.get(count - 1));

        stopEverything();
        List<ClusterNode> after = cluster();
        LineClient carol = user(after.get(2), "r_carol");
        LineClient dave = user(after.get(0), "r_dave");
        assertThat(carol.command("JOIN #keep").reply()).isEqualTo("OK JOIN #keep");
        assertThat(carol.command("TOPIC #keep").reply()).isEqualTo("OK TOPIC #keep :kept across restarts");
        assertThat(history(carol, "HISTORY #keep LATEST 100")).containsExactlyElementsOf(received);
        assertThat(dave.command("JOIN #keep").reply()).isEqualTo("OK JOIN #keep");
        assertThat(dave.command("ROOMS").lines()).contains("ROOM #keep 2 :kept across restarts");

        assertThat(carol.command("SAY #keep :after the restart").reply()).isEqualTo("OK SAY #keep");
        String next;
        do {
            next = withoutSeq(dave.event());
        } while (!next.contains(" MSG #keep "));
        assertThat(next).endsWith("MSG #keep r_carol :after the restart");
        // Numbering starts again 100,000 above the store's last msgid (protocol.md): past what members saw.
        assertThat(msgid(next)).isGreaterThan(lastBefore + 100_000);
        List<String> all = new ArrayList<>(received);
        all.add(next);
        assertThat(history(dave, "HISTORY #keep LATEST 100")).containsExactlyElementsOf(all);
    }

    @Test
    @DisplayName("a message committed by a node that died before marking it in the log still reaches the members")
    void committedButUnmarked() throws Exception {
        List<ClusterNode> cluster = cluster();
        LineClient alice = user(cluster.get(0), "u_alice");
        LineClient bob = user(cluster.get(1), "u_bob");
        assertThat(alice.command("JOIN #gone").reply()).isEqualTo("OK JOIN #gone");
        assertThat(bob.command("JOIN #gone").reply()).isEqualTo("OK JOIN #gone");
        // What a node leaves behind that died between its commit and its marker (its OK may have gone out:
        // with a shared store it answers on the commit): the numbered entry in the log, the row in the store.
        String time = "2026-12-07T23:00:00Z";
        long number = cluster.get(0).cluster.log("parley.chat.log.#gone", 5000).appendNumbered(String.join("\n",
                "a-node-that-died", "7", "u_ghost", time, "0", "committed, never marked"), Duration.ofSeconds(5));
        stores.get(0).insert(new StoredMessage("#gone", number, Instant.parse(time), "u_ghost", "#gone",
                "committed, never marked")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        // Another node settles it from the store: everyone gets it, in its place.
        assertThat(withoutSeq(bob.event())).endsWith("MSG #gone u_ghost :committed, never marked");
        assertThat(withoutSeq(alice.event())).isEqualTo("JOINED #gone u_bob");
        assertThat(withoutSeq(alice.event())).endsWith("MSG #gone u_ghost :committed, never marked");
        assertThat(alice.command("SAY #gone :after").reply()).isEqualTo("OK SAY #gone");
        assertThat(withoutSeq(bob.event())).endsWith("MSG #gone u_alice :after");
    }

    private List<ClusterNode> cluster() {
        // Opened one after the other: the first migrates the new database's schema.
        Deque<MessageStore> opened = new ArrayDeque<>();
        for (int i = 0; i < 3; i++) {
            MessageStore store = new JdbcStoreProvider().open(
                    ConfigFactory.parseMap(Map.of("url", url, "user", "parley")), Path.of("."));
            stores.add(store);
            opened.add(store);
        }
        Supplier<MessageStore> next = () -> {
            synchronized (opened) {
                return opened.poll();
            }
        };
        List<ClusterNode> started = ClusterNode.startCluster("store-" + System.nanoTime(), 3, spool, next);
        nodes.addAll(started);
        return started;
    }

    /** Every client, node and store, as a restart of the whole cluster does. */
    private void stopEverything() {
        clients.forEach(LineClient::close);
        clients.clear();
        nodes.forEach(ClusterNode::close);
        nodes.clear();
        stores.forEach(MessageStore::close);
        stores.clear();
    }

    private LineClient user(ClusterNode node, String nick) throws IOException {
        LineClient c = node.user(nick);
        clients.add(c);
        return c;
    }

    /** HISTORY's data lines: the lines before its reply that are not events (events carry seq). */
    private static List<String> history(LineClient c, String command) {
        Answer answer = c.command(command);
        assertThat(answer.reply()).as(command).startsWith("OK HISTORY ");
        return answer.lines().stream().filter(line -> !line.startsWith("@seq=")).toList();
    }

    private static String withoutSeq(String line) {
        return line.replaceFirst("^@seq=\\d+ ", "").replaceFirst("^@seq=\\d+;", "@");
    }

    private static long msgid(String line) {
        try {
            return Long.parseLong(FrameParser.parse(line).tag("msgid"));
        } catch (ProtocolException e) {
            throw new AssertionError(line, e);
        }
    }
}
