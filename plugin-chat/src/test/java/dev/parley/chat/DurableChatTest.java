package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.auth.password.PasswordHash;
import dev.parley.chat.store.FaultyStore;
import dev.parley.chat.store.StorePlugin;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.store.MemoryMessageStore;
import dev.parley.testkit.Answer;
import dev.parley.testkit.EmbeddedServer;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("durable chat over real sockets: SAY after commit, HISTORY paging, restarts, offline TELL")
class DurableChatTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** Each reading is one second after the last, so message k of a fresh room is stamped T0 + (k-1) s. */
    static final class SteppingClock extends Clock {
        private final AtomicLong readings = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return T0.plusSeconds(readings.getAndIncrement());
        }
    }

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private EmbeddedServer server(MessageStore store, String config, ParleyPlugin... more) throws IOException {
        List<ParleyPlugin> plugins = new ArrayList<>();
        plugins.add(new StorePlugin(store));
        plugins.addAll(List.of(more));
        plugins.add(new ChatPlugin(new SteppingClock()));
        EmbeddedServer server = EmbeddedServer.start(ConfigFactory.parseString(config),
                plugins.toArray(ParleyPlugin[]::new));
        open.add(server);
        return server;
    }

    private LineClient client(EmbeddedServer server, String nick) throws IOException {
        LineClient c = server.connect();
        open.add(c);
        if (nick != null) {
            assertThat(c.command("NICK " + nick).reply()).startsWith("OK NICK " + nick);
        }
        return c;
    }

    private static void ok(LineClient c, String line) {
        Answer a = c.command(line);
        assertThat(a.reply()).as(line).startsWith("OK ");
    }

    @Nested
    @DisplayName("SAY")
    class Say {
        @Test
        @DisplayName("pipelined SAYs committed in batches completing newest first: OKs and MSGs in msgid order")
        void pipelinedInOrder() throws IOException {
            FaultyStore store = new FaultyStore();
            store.batches(10);
            EmbeddedServer server = server(store, "");
            LineClient alice = client(server, "alice");
            LineClient bob = client(server, "bob");
            ok(alice, "JOIN #r");
            ok(bob, "JOIN #r");
            alice.event(); // JOINED bob
            // 50 SAYs in one go: a batch of 10 commits only if 10 of one session's SAYs are in flight together.
            for (int i = 1; i <= 50; i++) {
                alice.send("SAY #r :m" + i);
            }
            for (int i = 1; i <= 50; i++) {
                assertThat(alice.reply()).isEqualTo("OK SAY #r");
            }
            List<String> received = IntStream.range(0, 50).mapToObj(i -> bob.event()).toList();
            for (int i = 1; i <= 50; i++) {
                assertThat(received.get(i - 1)).startsWith("@msgid=" + i + ";").endsWith("MSG #r alice :m" + i);
            }
        }

        @Test
        @DisplayName("a store that cannot keep it answers ERR SAY STORE_UNAVAILABLE and nobody gets the message")
        void storeUnavailable() throws IOException {
            FaultyStore store = new FaultyStore();
            EmbeddedServer server = server(store, "");
            LineClient alice = client(server, "alice");
            LineClient bob = client(server, "bob");
            ok(alice, "JOIN #r");
            ok(bob, "JOIN #r");
            alice.event();
            store.failing(true);
            assertThat(alice.command("SAY #r :lost").reply()).startsWith("ERR SAY STORE_UNAVAILABLE ");
            store.failing(false);
            ok(alice, "SAY #r :kept");
            assertThat(bob.event()).as("the refused message never reached bob").endsWith("MSG #r alice :kept");
            assertThat(bob.command("HISTORY #r").lines()).hasSize(1).allMatch(l -> l.endsWith(":kept"));
        }
    }

    @Nested
    @DisplayName("HISTORY")
    class History {
        private LineClient alice;
        private final List<String> sent = new ArrayList<>();

        /** 25 messages in #r, stamped T0, T0+1s, ...; bob's copies in {@link #sent}. */
        private void fill(String config) throws IOException {
            EmbeddedServer server = server(new MemoryMessageStore(1000), config);
            alice = client(server, "alice");
            LineClient bob = client(server, "bob");
            ok(alice, "JOIN #r");
            ok(bob, "JOIN #r");
            alice.event();
            for (int i = 1; i <= 25; i++) {
                ok(alice, "SAY #r :m" + i);
                sent.add(bob.event());
            }
        }

        private List<String> page(String line) {
            Answer a = alice.command(line);
            assertThat(a.reply()).as(line).isEqualTo("OK HISTORY #r " + a.lines().size());
            return a.lines();
        }

        private List<String> sent(int from, int to) {
            return sent.subList(from - 1, to);
        }

        @Test
        @DisplayName("pages are the MSG lines exactly as sent, oldest first, n defaulting to and capped by history-page")
        void paging() throws IOException {
            fill("parley.chat.history-page = 10");
            assertThat(page("HISTORY #r")).isEqualTo(sent(16, 25));
            assertThat(page("HISTORY #r 3")).isEqualTo(sent(23, 25));
            assertThat(page("HISTORY #r latest 1000")).isEqualTo(sent(16, 25));
            assertThat(page("HISTORY #r BEFORE 16")).isEqualTo(sent(6, 15));
            assertThat(page("HISTORY #r BEFORE 6")).isEqualTo(sent(1, 5));
            assertThat(page("HISTORY #r BEFORE 1")).isEmpty();
            assertThat(page("HISTORY #r AFTER 20 3")).isEqualTo(sent(21, 23));
            assertThat(page("HISTORY #r AROUND 10 4")).isEqualTo(sent(8, 11));
            assertThat(page("HISTORY #r BETWEEN 3 7")).isEqualTo(sent(4, 6));
            assertThat(page("HISTORY #r BETWEEN 7 3 2")).isEqualTo(sent(4, 5));
        }

        @Test
        @DisplayName("a ref may be an RFC 3339 UTC time: BEFORE excludes, AFTER includes a message sent at it")
        void byTime() throws IOException {
            fill("");
            // The clock read once per message: message k was stamped T0 + (k - 1) s.
            assertThat(page("HISTORY #r BEFORE 2026-12-07T10:00:04Z")).isEqualTo(sent(1, 4));
            assertThat(page("HISTORY #r AFTER 2026-12-07T10:00:20Z")).isEqualTo(sent(21, 25));
            assertThat(page("HISTORY #r BETWEEN 2026-12-07T10:00:02Z 5")).isEqualTo(sent(3, 4));
            assertThat(sent.get(0)).contains("time=2026-12-07T10:00:00.000Z");
        }

        @Test
        @DisplayName("a malformed ref or count is BAD_ARGUMENT; a msgid the room never had is NO_SUCH_MESSAGE")
        void errors() throws IOException {
            fill("");
            for (String bad : List.of("HISTORY #r BEFORE abc", "HISTORY #r BEFORE 2026-13-01T00:00:00Z",
                    "HISTORY #r BEFORE 2026-12-07T10:00:00+01:00", "HISTORY #r BEFORE 0", "HISTORY #r LATEST 0",
                    "HISTORY #r SIDEWAYS 3", "HISTORY #r BETWEEN 3", "HISTORY #r AFTER 3 4 5")) {
                assertThat(alice.command(bad).reply()).as(bad).startsWith("ERR HISTORY BAD_ARGUMENT ");
            }
            assertThat(alice.command("HISTORY #r BEFORE 26").reply()).startsWith("ERR HISTORY NO_SUCH_MESSAGE ");
            assertThat(alice.command("HISTORY #r BETWEEN 1 99").reply()).startsWith("ERR HISTORY NO_SUCH_MESSAGE ");
        }
    }

    @Test
    @DisplayName("a restart keeps history, msgids and times, and the numbering continues")
    void restart() throws IOException {
        MemoryMessageStore store = new MemoryMessageStore(1000);
        EmbeddedServer first = server(store, "");
        LineClient alice = client(first, "alice");
        LineClient bob = client(first, "bob");
        ok(alice, "JOIN #r");
        ok(bob, "JOIN #r");
        alice.event();
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ok(alice, "SAY #r :m" + i);
            sent.add(bob.event());
        }
        first.close();

        EmbeddedServer second = server(store, "");
        LineClient carol = client(second, "carol");
        LineClient dave = client(second, "dave");
        ok(carol, "JOIN #r");
        ok(dave, "JOIN #r");
        carol.event();
        assertThat(carol.command("HISTORY #r").lines()).isEqualTo(sent);
        ok(carol, "SAY #r :after the restart");
        assertThat(dave.event()).startsWith("@msgid=4;");
    }

    @Nested
    @DisplayName("private messages between accounts")
    class Offline {
        static {
            // Chat's module does not read auth's (it never needs it); its tests do, for the password hash format.
            DurableChatTest.class.getModule().addReads(ModuleLayer.boot().findModule("dev.parley.auth").orElseThrow());
        }

        private EmbeddedServer server;

        private void start(String config) throws IOException {
            String hash = PasswordHash.create("pw".toCharArray(), PasswordHash.MIN_ITERATIONS).toString();
            Config auth = ConfigFactory.parseString("parley.auth.users { alice = \"" + hash + "\", bob = \"" + hash
                    + "\" }\nparley.auth.failure-delay = 0s\n" + config);
            server = server(new MemoryMessageStore(1000), auth.root().render(), ParleyTestKit.findPlugin("auth"));
        }

        private LineClient login(String account) throws IOException {
            LineClient c = client(server, null);
            assertThat(c.command("AUTH " + account + " pw").reply()).startsWith("OK AUTH");
            return c;
        }

        @Test
        @DisplayName("a TELL to an offline account is stored and arrives at its next login, oldest first, once")
        void deliveredAtLogin() throws IOException {
            start("");
            LineClient alice = login("alice");
            ok(alice, "NICK alice");
            assertThat(alice.command("TELL bob :first").reply()).isEqualTo("OK TELL bob :stored");
            assertThat(alice.command("TELL Bob :second").reply()).isEqualTo("OK TELL Bob :stored");
            LineClient guest = client(server, "guest");
            assertThat(guest.command("TELL bob :from a guest").reply()).startsWith("ERR TELL NO_SUCH_NICK ");
            assertThat(guest.command("TELL nobody :hi").reply()).startsWith("ERR TELL NO_SUCH_NICK ");

            LineClient bob = login("bob");
            Answer nick = bob.command("NICK bob");
            assertThat(nick.reply()).startsWith("OK NICK bob");
            assertThat(nick.lines()).satisfiesExactly(
                    l -> assertThat(l).matches("@msgid=1;time=2026-12-07T10:00:00\\.000Z WHISPER alice :first"),
                    l -> assertThat(l).matches("@msgid=2;time=2026-12-07T10:00:01\\.000Z WHISPER alice :second"));
            bob.send("QUIT");
            bob.awaitClosed();

            LineClient again = login("bob");
            Answer second = again.command("NICK bob");
            assertThat(second.lines()).as("acknowledged: not delivered twice").isEmpty();
            assertThat(again.command("HISTORY alice").lines()).hasSize(2).last().asString().endsWith(":second");
            assertThat(guest.command("HISTORY alice").reply()).startsWith("ERR HISTORY NOT_AUTHENTICATED ");
        }

        @Test
        @DisplayName("a TELL between two online accounts is kept in their conversation and whispered with its msgid")
        void onlineKept() throws IOException {
            start("");
            LineClient alice = login("alice");
            ok(alice, "NICK alice");
            LineClient bob = login("bob");
            ok(bob, "NICK bob");
            assertThat(alice.command("TELL bob :hi").reply()).isEqualTo("OK TELL bob");
            String whisper = bob.event();
            assertThat(whisper).matches("@msgid=1;time=\\S+ WHISPER alice :hi");
            assertThat(bob.command("HISTORY alice").lines()).containsExactly(whisper);
            assertThat(bob.command("HISTORY alice BEFORE 2").reply()).startsWith("ERR HISTORY NO_SUCH_MESSAGE ");
        }

        @Test
        @DisplayName("past parley.store.max-offline-messages a TELL answers MAILBOX_FULL")
        void mailboxFull() throws IOException {
            start("parley.store.max-offline-messages = 2");
            LineClient alice = login("alice");
            ok(alice, "NICK alice");
            assertThat(alice.command("TELL bob :1").reply()).isEqualTo("OK TELL bob :stored");
            assertThat(alice.command("TELL bob :2").reply()).isEqualTo("OK TELL bob :stored");
            assertThat(alice.command("TELL bob :3").reply()).startsWith("ERR TELL MAILBOX_FULL ");
        }

        @Test
        @DisplayName("with resumption on, stored whispers are numbered events (seq), so a RESUME would replay them")
        void numberedWithResumption() throws IOException {
            String hash = PasswordHash.create("pw".toCharArray(), PasswordHash.MIN_ITERATIONS).toString();
            server = server(new MemoryMessageStore(1000), "parley.auth.users { alice = \"" + hash + "\", bob = \""
                    + hash + "\" }\nparley.auth.failure-delay = 0s", ParleyTestKit.findPlugin("auth"),
                    ParleyTestKit.findPlugin("heartbeat"));
            LineClient alice = login("alice");
            ok(alice, "NICK alice");
            assertThat(alice.command("TELL bob :kept").reply()).isEqualTo("OK TELL bob :stored");
            LineClient bob = login("bob");
            Answer nick = bob.command("NICK bob");
            assertThat(nick.reply()).startsWith("OK NICK bob ");
            assertThat(nick.lines()).singleElement().asString().contains("seq=").contains("msgid=1")
                    .endsWith("WHISPER alice :kept");
        }

        @Test
        @DisplayName("stored messages also arrive when AUTH comes after NICK")
        void authAfterNick() throws IOException {
            start("");
            LineClient alice = login("alice");
            ok(alice, "NICK alice");
            assertThat(alice.command("TELL bob :later").reply()).isEqualTo("OK TELL bob :stored");
            LineClient bob = client(server, "bobby");
            Answer auth = bob.command("AUTH bob pw");
            assertThat(auth.reply()).startsWith("OK AUTH");
            assertThat(auth.lines()).singleElement().asString().endsWith("WHISPER alice :later");
        }
    }
}
