package dev.parley.launcher.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.client.CommandRun;
import dev.parley.launcher.client.RawClient;
import dev.parley.launcher.client.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley chat --account} against a real server that requires authentication, the password as the first
 * line of a piped stdin; and the one-line refusals of {@code /join} in a moderated room.
 */
@DisplayName("parley chat with an account, and JOIN's refusals")
class AccountChatTest {
    private static final String PASSWORD = "a long passphrase";

    @TempDir
    Path spool;

    private TestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start(spool, Map.of("parley.plugins", "[chat, filetransfer, heartbeat, auth]",
                "parley.auth.registration", "open", "parley.auth.required", "true",
                "parley.auth.failure-delay", "10ms"));
        for (String account : new String[] {"alice", "bob"}) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("REGISTER " + account + " :" + PASSWORD);
                assertThat(client.await(line -> line.startsWith("OK ") || line.startsWith("ERR ")))
                        .isEqualTo("OK REGISTER " + account);
            }
        }
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private CommandRun chat(String stdin, String... options) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        String[] args = new String[options.length + 3];
        args[0] = "chat";
        args[1] = "--port";
        args[2] = Integer.toString(server.port());
        System.arraycopy(options, 0, args, 3, options.length);
        return CommandRun.start(commandLine ->
                ((ChatCommand) commandLine.getSubcommands().get("chat").getCommand()).readFrom(in), args);
    }

    private static java.util.List<String> shown(CommandRun run) {
        return run.out().lines().map(line -> line.replaceFirst("^\\d\\d:\\d\\d ", "")).toList();
    }

    /** bob, authenticated, in #club. */
    private RawClient bob() throws Exception {
        RawClient bob = new RawClient(server.port());
        bob.send("AUTH bob :" + PASSWORD);
        bob.send("NICK bob");
        bob.send("JOIN #club");
        bob.await(line -> line.startsWith("OK JOIN"));
        return bob;
    }

    @Test
    @DisplayName("--account logs in with the password from stdin's first line, which is never shown")
    void logsIn() throws Exception {
        try (RawClient bob = bob()) {
            CommandRun run = chat(PASSWORD + "\n/join #club\nhello from an account\n/quit\n",
                    "--account", "alice", "--nick", "alice");
            assertThat(bob.await(line -> line.contains(" MSG "))).endsWith("MSG #club alice :hello from an account");
            assertThat(run.exitCode()).as(run::err).isZero();
            assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
        }
    }

    @Test
    @DisplayName("without --account a server that requires it refuses the nick; a wrong password is one line, exit 1")
    void refusals() throws Exception {
        CommandRun none = chat("/quit\n", "--nick", "alice2");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("NOT_AUTHENTICATED");

        CommandRun wrong = chat("not the password\n/quit\n", "--account", "alice", "--nick", "alice");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err().lines().toList()).singleElement().asString()
                .startsWith("parley: cannot log in as 'alice': ").endsWith("(BAD_CREDENTIALS)")
                .doesNotContain("not the password");

        CommandRun empty = chat("\n", "--account", "alice", "--nick", "alice");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("--account alice needs a password");
    }

    @Test
    @DisplayName("/join #room key opens a room with a key; BAD_KEY, BANNED and KICKED are one line each")
    void roomKeyBansAndKicks() throws Exception {
        try (RawClient bob = bob()) {
            bob.send("CLAIM #club");
            bob.send("SET #club key sesame");
            assertThat(bob.await(line -> line.startsWith("OK SET") || line.startsWith("ERR "))).startsWith("OK SET");

            CommandRun keyed = chat(PASSWORD + "\n/join #club\n/join #club wrong\n/join #club sesame\nin with the key\n"
                    + "/quit\n", "--account", "alice", "--nick", "alice");
            assertThat(bob.await(line -> line.contains(" MSG "))).endsWith("MSG #club alice :in with the key");
            assertThat(keyed.exitCode()).as(keyed::err).isEqualTo(ChatCommand.REFUSED);
            assertThat(shown(keyed)).containsSubsequence(
                    "! Cannot join #club: it needs a key; /join #club <key> (BAD_KEY)",
                    "! Cannot join #club: it needs a key; /join #club <key> (that key is wrong) (BAD_KEY)");
            // The three JOINs were piped before any answer came: the last one reads as a switch to the room.
            assertThat(shown(keyed)).anySatisfy(line -> assertThat(line).matches("-!- (You joined|Now talking in) #club"));

            bob.send("BAN #club account:alice 1h :spamming");
            assertThat(bob.await(line -> line.startsWith("OK BAN") || line.startsWith("ERR "))).startsWith("OK BAN");
            CommandRun banned = chat(PASSWORD + "\n/join #club sesame\n/quit\n", "--account", "alice", "--nick", "alice");
            assertThat(banned.exitCode()).isEqualTo(ChatCommand.REFUSED);
            assertThat(shown(banned)).anySatisfy(line -> assertThat(line)
                    .matches("! Cannot join #club: you are banned from #club: spamming \\(until .*\\) \\(BANNED\\)"));

            bob.send("UNBAN #club account:alice");
            bob.send("SET #club key off");
            assertThat(bob.await(line -> line.startsWith("OK SET") || line.startsWith("ERR SET"))).startsWith("OK SET");
            RawClient carol = new RawClient(server.port());
            carol.send("REGISTER carol :" + PASSWORD);
            carol.send("NICK carol");
            carol.send("JOIN #club");
            carol.await(line -> line.startsWith("OK JOIN"));
            bob.send("KICK #club carol :cool off");
            assertThat(bob.await(line -> line.startsWith("OK KICK") || line.startsWith("ERR KICK"))).startsWith("OK KICK");
            carol.send("QUIT");
            carol.await(line -> line.startsWith("OK QUIT"));
            carol.close();
            CommandRun kicked = chat(PASSWORD + "\n/join #club\n/quit\n", "--account", "carol", "--nick", "carol");
            assertThat(kicked.exitCode()).as(() -> kicked.err() + kicked.out()).isEqualTo(ChatCommand.REFUSED);
            assertThat(shown(kicked)).anySatisfy(line -> assertThat(line)
                    .matches("! Cannot join #club: you were kicked from #club; you may JOIN again in \\d+s \\(KICKED\\)"));
        }
    }
}
