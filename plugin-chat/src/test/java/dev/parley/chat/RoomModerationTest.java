package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.auth.password.PasswordHash;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.store.MemoryAccountStore;
import dev.parley.testkit.Answer;
import dev.parley.testkit.EmbeddedServer;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** CLAIM, GRANT, WHO roles, BAN/UNBAN/BANS and KICK by room ops, over loopback sockets with the auth plugin. */
class RoomModerationTest {
    private static final String PW = "pass phrase";
    private static final String HASH = hash();
    private static final String AUTH = "parley.auth { failure-delay = 0s, operators = [root], users { "
            + "root = \"" + HASH + "\", alice = \"" + HASH + "\", bob = \"" + HASH + "\", mallory = \"" + HASH
            + "\", carol = \"" + HASH + "\" } }\n";

    /** The tests run inside chat's module, which does not read auth's: a test may, for the hash format. */
    private static String hash() {
        RoomModerationTest.class.getModule().addReads(ModuleLayer.boot().findModule("dev.parley.auth").orElseThrow());
        return PasswordHash.create(PW.toCharArray()).toString();
    }

    private final List<AutoCloseable> open = new ArrayList<>();
    private final MemoryAccountStore store = new MemoryAccountStore();
    private final ManualClock clock = new ManualClock();

    /** A clock tests move by hand, for ban expiry and the rejoin delay. */
    static final class ManualClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T05:00:00Z"));

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
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    /** Offers the account store, as the launcher offers the message store's. */
    private record StorePlugin(AccountStore store) implements ParleyPlugin {
        @Override
        public String name() {
            return "store";
        }

        @Override
        public void start(PluginContext context) {
            context.provide(AccountStore.class, store);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private EmbeddedServer server(String config) throws IOException {
        EmbeddedServer server = EmbeddedServer.start(ConfigFactory.parseString(AUTH + config),
                new StorePlugin(store), new ChatPlugin(clock), ParleyTestKit.findPlugin("auth"));
        open.add(server);
        return server;
    }

    /** A client authenticated as the account (none for a guest), with the nick. */
    private LineClient client(EmbeddedServer server, String account, String nick) throws IOException {
        LineClient c = server.connect();
        open.add(c);
        if (account != null) {
            assertThat(c.command("AUTH " + account + " :" + PW).reply()).isEqualTo("OK AUTH " + account);
        }
        assertThat(c.command("NICK " + nick).reply()).startsWith("OK NICK " + nick);
        return c;
    }

    /** The answer's lines of one kind (data lines), leaving out events that arrived meanwhile. */
    private static List<String> lines(Answer answer, String prefix) {
        return answer.lines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    private static String ask(LineClient c, String line) {
        return c.command(line).reply();
    }

    @Nested
    @DisplayName("CLAIM and GRANT")
    class Roles {
        @Test
        @DisplayName("a member claims an unowned room once; WHO shows roles; GRANT follows the role rules and tells the room")
        void claimAndGrant() throws IOException {
            EmbeddedServer server = server("");
            LineClient alice = client(server, "alice", "alice");
            LineClient bob = client(server, "bob", "bob");
            LineClient guest = client(server, null, "guest");
            assertThat(ask(alice, "CLAIM #club")).startsWith("ERR CLAIM NOT_IN_ROOM");
            ask(alice, "JOIN #club");
            ask(bob, "JOIN #club");
            ask(guest, "JOIN #club");
            alice.event(); // JOINED bob
            alice.event(); // JOINED guest
            bob.event();
            assertThat(ask(guest, "CLAIM #club")).startsWith("ERR CLAIM NOT_AUTHENTICATED");
            assertThat(ask(alice, "CLAIM #club")).isEqualTo("OK CLAIM #club");
            assertThat(bob.event()).isEqualTo("GRANTED #club alice owner alice");
            assertThat(ask(bob, "CLAIM #club")).startsWith("ERR CLAIM ALREADY_OWNED");
            assertThat(ask(bob, "GRANT #club bob op")).startsWith("ERR GRANT NOT_PERMITTED").contains("owner");
            assertThat(ask(alice, "GRANT #club nobody op")).startsWith("ERR GRANT NO_SUCH_ACCOUNT");
            assertThat(ask(alice, "GRANT #club bob op")).isEqualTo("OK GRANT #club bob op");
            assertThat(bob.event()).isEqualTo("GRANTED #club bob op alice");
            assertThat(ask(bob, "GRANT #club alice member")).startsWith("ERR GRANT NOT_PERMITTED")
                    .contains("nobody demotes the owner");
            assertThat(ask(bob, "GRANT #club carol voice")).isEqualTo("OK GRANT #club carol voice");
            assertThat(lines(alice.command("WHO #club"), "MEMBER ")).containsExactly("MEMBER #club alice owner", "MEMBER #club bob op",
                    "MEMBER #club guest");
        }

        @Test
        @DisplayName("a reserved room is claimed by server operators only")
        void reserved() throws IOException {
            EmbeddedServer server = server("parley.chat.reserved-rooms = [\"#lobby\", \"#Help\"]");
            LineClient alice = client(server, "alice", "alice");
            LineClient root = client(server, "root", "root");
            ask(alice, "JOIN #help");
            ask(root, "JOIN #help");
            assertThat(ask(alice, "CLAIM #help")).startsWith("ERR CLAIM NOT_PERMITTED").contains("reserved");
            assertThat(ask(root, "CLAIM #help")).isEqualTo("OK CLAIM #help");
        }
    }

    @Nested
    @DisplayName("BAN, UNBAN, BANS")
    class Bans {
        @Test
        @DisplayName("an account ban removes the member, holds under another nick, is listed, and survives a restart over the same store")
        void accountBan() throws IOException {
            EmbeddedServer server = server("");
            LineClient alice = client(server, "alice", "alice");
            LineClient mallory = client(server, "mallory", "mal");
            ask(alice, "JOIN #club");
            ask(alice, "CLAIM #club");
            ask(mallory, "JOIN #club");
            alice.event(); // JOINED mal
            assertThat(ask(mallory, "BAN #club alice")).startsWith("ERR BAN NOT_PERMITTED");
            assertThat(ask(alice, "BAN #club mallory :spam")).isEqualTo("OK BAN #club account:mallory");
            assertThat(mallory.event()).isEqualTo("BANNED #club account:mallory alice :spam");
            assertThat(mallory.event()).isEqualTo("KICKED #club mal alice :spam");
            assertThat(ask(mallory, "JOIN #club")).startsWith("ERR JOIN BANNED").contains("spam");
            assertThat(ask(mallory, "NICK other")).startsWith("OK NICK other");
            assertThat(ask(mallory, "JOIN #club")).startsWith("ERR JOIN BANNED");
            assertThat(lines(alice.command("BANS #club"), "BANMASK "))
                    .containsExactly("BANMASK #club account:mallory alice - :spam");
            server.close();

            EmbeddedServer again = server("");
            LineClient back = client(again, "mallory", "mal2");
            assertThat(ask(back, "JOIN #club")).startsWith("ERR JOIN BANNED");
            LineClient alice2 = client(again, "alice", "alice");
            assertThat(ask(alice2, "UNBAN #club account:mallory")).isEqualTo("OK UNBAN #club account:mallory");
            assertThat(ask(alice2, "UNBAN #club account:mallory")).startsWith("ERR UNBAN NOT_BANNED");
            assertThat(ask(back, "JOIN #club")).isEqualTo("OK JOIN #club");
        }

        @Test
        @DisplayName("a temporary ban expires by itself; a nick ban holds the nick; an address ban covers guests")
        void temporaryNickAddress() throws IOException {
            EmbeddedServer server = server("");
            LineClient alice = client(server, "alice", "alice");
            ask(alice, "JOIN #club");
            ask(alice, "CLAIM #club");
            assertThat(ask(alice, "BAN #club nick:troll 30m :cool off")).isEqualTo("OK BAN #club nick:troll");
            LineClient troll = client(server, null, "troll");
            assertThat(ask(troll, "JOIN #club")).startsWith("ERR JOIN BANNED");
            assertThat(lines(alice.command("BANS #club"), "BANMASK ")).singleElement().asString()
                    .startsWith("BANMASK #club nick:troll alice 2026-12-07T05:30:00Z");
            clock.advance(Duration.ofMinutes(31));
            assertThat(ask(troll, "JOIN #club")).isEqualTo("OK JOIN #club");
            assertThat(alice.command("BANS #club").reply()).isEqualTo("OK BANS #club 0");

            assertThat(ask(alice, "BAN #club addr:127.0.0.0/8")).isEqualTo("OK BAN #club addr:127.0.0.0/8");
            assertThat(troll.event()).startsWith("BANNED #club addr:127.0.0.0/8 alice");
            LineClient guest = client(server, null, "guest");
            assertThat(ask(guest, "JOIN #club")).startsWith("ERR JOIN BANNED");
            assertThat(ask(alice, "BAN #club addr:example.org")).startsWith("ERR BAN BAD_ARGUMENT");
            assertThat(ask(alice, "BAN #club nick:x 5y :r")).startsWith("ERR BAN BAD_ARGUMENT");
        }
    }

    @Nested
    @DisplayName("SETTINGS, SET and INVITE")
    class Settings {
        @Test
        @DisplayName("a key keeps out who lacks it (BAD_KEY) and lets in who has it; SETTINGS hides the secret from non-ops")
        void key() throws IOException {
            EmbeddedServer server = server("");
            LineClient alice = client(server, "alice", "alice");
            LineClient bob = client(server, "bob", "bob");
            ask(alice, "JOIN #club");
            ask(alice, "CLAIM #club");
            assertThat(ask(bob, "SET #club key s3cret")).startsWith("ERR SET NOT_PERMITTED");
            assertThat(ask(alice, "SET #club colour red")).startsWith("ERR SET BAD_ARGUMENT")
                    .contains("key, invite-only, moderated, topic-lock, guests");
            Answer set = alice.command("SET #club key s3cret");
            assertThat(set.reply()).isEqualTo("OK SET #club key on");
            assertThat(set.lines()).contains("CHANGED #club alice key on"); // the setter is a member too
            assertThat(ask(bob, "JOIN #club")).startsWith("ERR JOIN BAD_KEY");
            assertThat(ask(bob, "JOIN #club wrong")).startsWith("ERR JOIN BAD_KEY");
            assertThat(lines(bob.command("SETTINGS #club"), "SETTING ")).containsExactly("SETTING #club key on",
                    "SETTING #club invite-only off", "SETTING #club moderated off", "SETTING #club topic-lock off",
                    "SETTING #club guests on");
            assertThat(lines(alice.command("SETTINGS #club"), "SETTING ")).contains("SETTING #club key s3cret");
            assertThat(ask(bob, "JOIN #club s3cret")).isEqualTo("OK JOIN #club");
        }

        @Test
        @DisplayName("invite-only answers INVITE_ONLY until an op's INVITE, which the invitee is told of; guests off keeps guests out")
        void inviteOnlyAndGuests() throws IOException {
            EmbeddedServer server = server("");
            LineClient alice = client(server, "alice", "alice");
            LineClient bob = client(server, "bob", "bob");
            LineClient guest = client(server, null, "guest");
            ask(alice, "JOIN #club");
            ask(alice, "CLAIM #club");
            assertThat(ask(alice, "SET #club guests off")).isEqualTo("OK SET #club guests off");
            assertThat(ask(guest, "JOIN #club")).startsWith("ERR JOIN NOT_AUTHENTICATED");
            assertThat(ask(alice, "SET #club invite-only on")).isEqualTo("OK SET #club invite-only on");
            assertThat(ask(bob, "JOIN #club")).startsWith("ERR JOIN INVITE_ONLY");
            assertThat(ask(bob, "INVITE #club bob")).startsWith("ERR INVITE NOT_PERMITTED");
            assertThat(ask(alice, "INVITE #club bob")).isEqualTo("OK INVITE #club bob");
            assertThat(bob.event()).isEqualTo("INVITED #club alice");
            assertThat(ask(bob, "JOIN #club")).isEqualTo("OK JOIN #club");
        }

        @Test
        @DisplayName("moderated: a member without voice gets MODERATED, with voice the same SAY goes through; topic-lock")
        void moderatedAndTopicLock() throws IOException {
            EmbeddedServer server = server("");
            LineClient alice = client(server, "alice", "alice");
            LineClient bob = client(server, "bob", "bob");
            ask(alice, "JOIN #club");
            ask(alice, "CLAIM #club");
            ask(bob, "JOIN #club");
            ask(alice, "SET #club moderated on");
            ask(alice, "SET #club topic-lock on");
            assertThat(ask(bob, "SAY #club :hello")).startsWith("ERR SAY MODERATED");
            assertThat(ask(bob, "TOPIC #club :mine")).startsWith("ERR TOPIC NOT_PERMITTED");
            ask(alice, "GRANT #club bob voice");
            assertThat(ask(bob, "SAY #club :hello")).isEqualTo("OK SAY #club");
            assertThat(ask(bob, "TOPIC #club :mine")).startsWith("ERR TOPIC NOT_PERMITTED");
            assertThat(ask(alice, "TOPIC #club :ours")).isEqualTo("OK TOPIC #club");
            assertThat(ask(alice, "SET #club moderated off")).isEqualTo("OK SET #club moderated off");
            assertThat(store.settings("#club")).doesNotContainKey("moderated").containsEntry("topic-lock", "on");
        }
    }

    @Nested
    @DisplayName("KICK by room operators")
    class Kick {
        @Test
        @DisplayName("a room op kicks; the kicked member gets KICKED with the time left on JOIN until the delay passed")
        void rejoinDelay() throws IOException {
            EmbeddedServer server = server("parley.chat.kick-rejoin-delay = 30s");
            LineClient alice = client(server, "alice", "alice");
            LineClient bob = client(server, "bob", "bob");
            LineClient carol = client(server, "carol", "carol");
            ask(alice, "JOIN #club");
            ask(alice, "CLAIM #club");
            ask(alice, "GRANT #club bob op");
            ask(bob, "JOIN #club");
            ask(carol, "JOIN #club");
            assertThat(ask(carol, "KICK #club bob")).startsWith("ERR KICK NOT_PERMITTED");
            assertThat(ask(bob, "KICK #club carol :calm down")).isEqualTo("OK KICK #club carol");
            clock.advance(Duration.ofSeconds(10));
            assertThat(ask(carol, "JOIN #club")).startsWith("ERR JOIN KICKED").contains("20s");
            clock.advance(Duration.ofSeconds(20));
            assertThat(ask(carol, "JOIN #club")).isEqualTo("OK JOIN #club");
        }
    }
}
