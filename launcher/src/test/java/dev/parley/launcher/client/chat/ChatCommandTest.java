package dev.parley.launcher.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.client.CommandRun;
import dev.parley.launcher.client.RawClient;
import dev.parley.launcher.client.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley chat} with stdin from a pipe, against a real server in-process. */
class ChatCommandTest {
    @TempDir
    Path spool;

    private TestServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = TestServer.start(spool);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private CommandRun chat(InputStream stdin, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "chat";
        args[1] = "--port";
        args[2] = Integer.toString(server.port());
        System.arraycopy(options, 0, args, 3, options.length);
        return CommandRun.start(commandLine ->
                ((ChatCommand) commandLine.getSubcommands().get("chat").getCommand()).readFrom(stdin), args);
    }

    /** stdout without the HH:mm time stamps. */
    private static java.util.List<String> shown(CommandRun run) {
        return run.out().lines().map(line -> line.replaceFirst("^\\d\\d:\\d\\d ", "")).toList();
    }

    private static InputStream typed(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    @DisplayName("with stdin from a pipe")
    class Piped {
        @Test
        @DisplayName("'/join #lobby', 'hello', '/quit' delivers hello to the other member and exits 0")
        void deliversHello() throws Exception {
            try (RawClient bob = RawClient.member(server.port(), "bob", "#lobby")) {
                CommandRun run = chat(typed("/join #lobby\nhello\n/quit\n"), "--nick", "cli");
                assertThat(bob.await(line -> line.contains(" MSG "))).endsWith("MSG #lobby cli :hello");
                assertThat(run.exitCode()).as(run::err).isZero();
                assertThat(bob.await(line -> line.contains("LEFT"))).contains("LEFT #lobby cli");
            }
        }

        @Test
        @DisplayName("prints what it receives while it runs, escaped, and exits 0 at the end of input")
        void printsWhatItReceives() throws Exception {
            PipedOutputStream keyboard = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(keyboard);
            try (RawClient bob = RawClient.member(server.port(), "bob", "#lobby")) {
                CommandRun run = chat(stdin, "--nick", "cli", "--room", "#lobby");
                bob.await(line -> line.contains("JOINED #lobby cli"));
                bob.send("SAY #lobby :welcome \u009b[2J home");
                bob.send("TELL cli :a secret");
                assertThat(run.awaitLine(line -> line.contains("welcome")))
                        .matches("\\d\\d:\\d\\d \\[#lobby] bob: welcome \\\\u009b\\[2J home");
                assertThat(run.awaitLine(line -> line.contains("secret")))
                        .matches("\\d\\d:\\d\\d \\*bob\\* whispers: a secret");
                keyboard.write("/who\n".getBytes(StandardCharsets.UTF_8));
                keyboard.close();
                assertThat(run.exitCode()).as(run::err).isZero();
                // The end of input waited for the answer to /who.
                assertThat(run.out()).contains("-!- #lobby (2): bob, cli");
            }
        }

        @Test
        @DisplayName("shows refusals as the server's sentence with the code, in input order, and exits 3")
        void errorsAsSentences() throws Exception {
            CommandRun run = chat(typed("hello\n/join #lobby\n/part #nope\n/frob\n/history #lobby 0\n"), "--nick", "cli");
            assertThat(run.exitCode()).as(run::err).isEqualTo(ChatCommand.REFUSED);
            assertThat(shown(run)).containsSubsequence(
                    "! You are in no room yet: /join #room to enter one, or /msg <nick> <text> to whisper",
                    "-!- You joined #lobby",
                    "! You are not in #nope, so there is nothing to leave; ROOMS lists the rooms (NOT_IN_ROOM)",
                    "! Unknown command /frob; /help lists the commands, //text sends a line starting with /",
                    "! Usage: /history [#room] [n], n a whole number from 1");
        }

        @Test
        @DisplayName("/history repeated in a room pages further back each time, until no older messages are left")
        void historyPagesBack() throws Exception {
            CommandRun run = chat(typed("/join #lobby\na\nb\nc\nd\ne\n/history 2\n/history 2\n/history 2\n"
                    + "/history 2\n"), "--nick", "cli");
            assertThat(run.exitCode()).as(run::err).isZero();
            String more = "; /history again for older ones)";
            assertThat(shown(run)).containsSubsequence(
                    "[#lobby] cli: d", "[#lobby] cli: e", "-!- End of the history of #lobby (2 messages" + more,
                    "[#lobby] cli: b", "[#lobby] cli: c", "-!- End of the history of #lobby (2 messages" + more,
                    "[#lobby] cli: a", "-!- End of the history of #lobby (1 message" + more,
                    "-!- No older messages in #lobby");
        }

        @Test
        @DisplayName("a single refused command after good ones makes the exit code 3, after every answer")
        void oneRefusalExits3() throws Exception {
            CommandRun run = chat(typed("/join #lobby\nhello\n/part #nope\n"), "--nick", "cli");
            assertThat(run.exitCode()).as(run::err).isEqualTo(3);
            assertThat(shown(run)).anyMatch(line -> line.startsWith("! You are not in #nope"));
        }

        @Test
        @DisplayName("a nick that cannot be a NICK argument is a one-line usage error (exit 2), no stack trace")
        void badNick() throws Exception {
            CommandRun run = chat(typed("/quit\n"), "--nick", "bad nick");
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).startsWith("parley: Invalid value for option '--nick': 'bad nick' is not a nick: ")
                    .doesNotContain("\tat ").doesNotContain("IllegalArgumentException")
                    .contains("Try 'parley chat --help'");
        }

        @Test
        @DisplayName("--json prints one JSON object per line: events as sent, successes, refusals with their code, own messages")
        void json() throws Exception {
            try (RawClient bob = RawClient.member(server.port(), "bob", "#lobby")) {
                PipedOutputStream keyboard = new PipedOutputStream();
                CommandRun run = chat(new PipedInputStream(keyboard), "--nick", "cli", "--json");
                keyboard.write("/join #lobby\n".getBytes(StandardCharsets.UTF_8));
                bob.await(line -> line.contains("JOINED #lobby cli"));
                bob.send("SAY #lobby :hi \"there\"\u009b");
                assertThat(run.awaitLine(line -> line.contains("\"verb\":\"MSG\"")))
                        .startsWith("{\"type\":\"event\",\"verb\":\"MSG\",\"params\":[\"#lobby\",\"bob\"],"
                                + "\"text\":\"hi \\\"there\\\"\\u009b\",\"tags\":{")
                        .contains("\"msgid\":\"1\"").endsWith("}}");
                keyboard.write("hello\n/part #nope\n".getBytes(StandardCharsets.UTF_8));
                keyboard.close();
                assertThat(run.exitCode()).as(run::err).isEqualTo(ChatCommand.REFUSED);
                assertThat(run.out().lines()).allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"))
                        .anySatisfy(line -> assertThat(line).startsWith("{\"type\":\"ok\",\"text\":\"You joined #lobby\""))
                        .contains("{\"type\":\"sent\",\"to\":\"#lobby\",\"nick\":\"cli\",\"text\":\"hello\"}")
                        .anySatisfy(line -> assertThat(line).startsWith("{\"type\":\"error\",\"code\":\"NOT_IN_ROOM\","
                                + "\"text\":\"You are not in #nope"));
            }
        }

        @Test
        @DisplayName("/nick, /topic and /history change and show the room")
        void roomCommands() throws Exception {
            try (RawClient bob = RawClient.member(server.port(), "bob", "#lobby")) {
                CommandRun run = chat(typed("/join #lobby\none\n/nick cli2\ntwo\n/topic #lobby news\n/topic\n"
                        + "/history 5\n/rooms\n/part\nthree\n"), "--nick", "cli");
                // "three", said in no room, is refused: exit 3.
                assertThat(run.exitCode()).as(run::err).isEqualTo(ChatCommand.REFUSED);
                assertThat(bob.await(line -> line.contains("MSG #lobby cli2"))).endsWith(":two");
                assertThat(shown(run)).containsSubsequence(
                        "-!- You are now known as cli2", "-!- Topic of #lobby: news")
                        .anyMatch(line -> line.endsWith("[#lobby] cli: one"))
                        .anyMatch(line -> line.endsWith("[#lobby] cli2: two"))
                        .anyMatch(line -> line.endsWith("-!- End of the history of #lobby (2 messages; /history"
                                + " again for older ones)"))
                        .anyMatch(line -> line.endsWith("#lobby (2)  news"))
                        .anyMatch(line -> line.endsWith("! You are in no room yet: /join #room to enter one, or "
                                + "/msg <nick> <text> to whisper"));
            }
        }
    }

    @Test
    @DisplayName("a dropped connection is resumed: the chat says so, shows what it missed and goes on")
    void resumesAfterADrop() throws Exception {
        try (dev.parley.launcher.client.TcpProxy proxy = new dev.parley.launcher.client.TcpProxy(server.port());
             RawClient bob = RawClient.member(server.port(), "bob", "#lobby")) {
            PipedOutputStream keyboard = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(keyboard);
            String[] args = {"chat", "--port", Integer.toString(proxy.port()), "--nick", "cli", "--room", "#lobby"};
            CommandRun run = CommandRun.start(commandLine -> ((ChatCommand) commandLine.getSubcommands().get("chat")
                    .getCommand()).readFrom(stdin), args);
            run.awaitLine(line -> line.contains("You joined #lobby"));
            proxy.cut();
            run.awaitErr(line -> line.contains("Connection lost"));
            bob.send("SAY #lobby :missed me?");
            // The missed events are replayed before RESUME's reply.
            run.awaitLine(line -> line.endsWith("bob: missed me?"));
            run.awaitErr(line -> line.contains("Reconnected: same nick, same rooms"));
            keyboard.write("still here\n".getBytes(StandardCharsets.UTF_8));
            keyboard.close();
            assertThat(bob.await(line -> line.contains(" MSG ") || line.contains("LEFT"))).endsWith(":still here");
            assertThat(run.exitCode()).as(run::err).isZero();
        }
    }

    @Nested
    @DisplayName("file commands")
    class FileCommands {
        @Test
        @DisplayName("/send in one chat, /files and /get in another: the file arrives intact")
        void sendFilesGet() throws Exception {
            byte[] bytes = new byte[300_000];
            new java.util.Random(3).nextBytes(bytes);
            Path file = java.nio.file.Files.write(spool.resolveSibling(spool.getFileName() + "-report.pdf"), bytes);
            Path inbox = spool.resolveSibling(spool.getFileName() + "-inbox");
            try (RawClient bob = new RawClient(server.port())) {
                bob.send("NICK bob");
                bob.await(line -> line.startsWith("OK NICK"));
                CommandRun alice = chat(typed("/send bob " + file + "\n/quit\n"), "--nick", "alice");
                assertThat(alice.exitCode()).as(alice::err).isZero();
                assertThat(shown(alice)).anyMatch(line -> line.startsWith("-!- Sent ") && line.endsWith("to bob"));
                String event = bob.await(line -> line.matches("(@\\S+ )?FILE .*"));
                String id = event.replaceFirst("^(@\\S+ )?FILE (\\S+) .*$", "$2");
                bob.send("QUIT");
                bob.await(line -> line.startsWith("OK QUIT"));

                PipedOutputStream keyboard = new PipedOutputStream();
                CommandRun reader = chat(new PipedInputStream(keyboard), "--nick", "bob2");
                keyboard.write("/files\n".getBytes(StandardCharsets.UTF_8));
                reader.awaitLine(line -> line.contains("No files offered to you"));
                keyboard.write("/nick bob\n/files\n".getBytes(StandardCharsets.UTF_8));
                assertThat(reader.awaitLine(line -> line.contains(id))).contains("from alice");
                keyboard.write(("/get " + id + " " + inbox + "\n/get nosuchid\n").getBytes(StandardCharsets.UTF_8));
                keyboard.close();
                assertThat(reader.exitCode()).as(reader::err).isEqualTo(ChatCommand.REFUSED); // /get nosuchid
                assertThat(shown(reader)).anyMatch(line -> line.startsWith("-!- Saved ") && line.endsWith("report.pdf"))
                        .contains("! No file nosuchid is offered to you; /files lists them");
                try (var saved = java.nio.file.Files.list(inbox)) {
                    Path only = saved.findFirst().orElseThrow();
                    assertThat(java.nio.file.Files.readAllBytes(only)).isEqualTo(bytes);
                }
            }
        }
    }

    @Nested
    @DisplayName("failures end the command with one line on stderr and exit 1")
    class Failures {
        @Test
        @DisplayName("nobody listening on the port")
        void connectionRefused() throws Exception {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            CommandRun run = CommandRun.start(commandLine -> ((ChatCommand) commandLine.getSubcommands().get("chat")
                    .getCommand()).readFrom(typed("hello\n")), "chat", "--port", Integer.toString(port), "--nick", "cli");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("parley: cannot connect to 127.0.0.1:" + port
                    + ": Connection refused — is the server running? Start it with 'parley server'."
                    + System.lineSeparator());
        }

        @Test
        @DisplayName("the nick is taken")
        void nickTaken() throws Exception {
            try (RawClient bob = RawClient.member(server.port(), "bob", "#lobby")) {
                CommandRun run = chat(typed("hello\n"), "--nick", "BOB");
                assertThat(run.exitCode()).isEqualTo(1);
                assertThat(run.err()).startsWith("parley: cannot use the nick 'BOB': ").contains("(NICK_IN_USE)")
                        .hasLineCount(1);
            }
        }

        @Test
        @DisplayName("the server shuts down and stays away past --reconnect-attempts")
        void serverGoesAway() throws Exception {
            PipedOutputStream keyboard = new PipedOutputStream();
            CommandRun run = chat(new PipedInputStream(keyboard), "--nick", "cli", "--room", "#lobby",
                    "--reconnect-initial", "0.02", "--reconnect-max", "0.05", "--reconnect-attempts", "2");
            run.awaitLine(line -> line.contains("You joined #lobby"));
            server.close();
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).containsPattern("reconnecting in \\d+ms \\(attempt 1\\)").contains("(attempt 2)")
                    .contains("parley: lost the connection to 127.0.0.1:" + server.port()
                            + " and gave up after 2 attempts to reconnect: cannot connect to");
            keyboard.close();
        }
    }

    @Nested
    @DisplayName("reconnecting")
    class Reconnecting {
        private final String[] quickBackoff = {"--reconnect-initial", "0.05", "--reconnect-max", "0.2"};

        private CommandRun chatAsZed(InputStream stdin) {
            String[] args = {"--nick", "zed", "--room", "#r", quickBackoff[0], quickBackoff[1], quickBackoff[2],
                    quickBackoff[3]};
            return chat(stdin, args);
        }

        /** Stops the server (its clients read BYE SHUTDOWN) and starts a fresh one, empty, on the same port. */
        private void restartServer() throws IOException {
            int port = server.port();
            server.close();
            server = TestServer.startOn(spool, port);
        }

        @Test
        @DisplayName("the issue's case: the server restarts on the same port; the chat registers again, rejoins"
                + " #r, and the next line reaches a member of #r")
        void survivesARestart() throws Exception {
            PipedOutputStream keyboard = new PipedOutputStream();
            CommandRun run = chatAsZed(new PipedInputStream(keyboard));
            run.awaitLine(line -> line.contains("You joined #r"));
            restartServer();
            try (RawClient amy = RawClient.member(server.port(), "amy", "#r")) {
                amy.send("WHO #r");
                // zed is in #r already (a MEMBER line), or joins later (a JOINED event).
                amy.await(line -> line.equals("MEMBER #r zed") || line.endsWith("JOINED #r zed"));
                keyboard.write("after the restart\n".getBytes(StandardCharsets.UTF_8));
                assertThat(amy.await(line -> line.contains(" MSG "))).endsWith("MSG #r zed :after the restart");
                keyboard.close();
                assertThat(run.exitCode()).as(run::err).isZero();
            }
            assertThat(run.err()).contains("Connection lost: the server at 127.0.0.1:" + server.port()
                            + " closed the connection: the server is shutting down [SHUTDOWN]",
                    "reconnecting in ", "(attempt 1)", "Reconnected as zed in a new session", "rejoined #r");
        }

        @Test
        @DisplayName("piped, a nick taken while the server was away ends the chat with exit 1 and a clear message")
        void nickTakenMeanwhile() throws Exception {
            PipedOutputStream keyboard = new PipedOutputStream();
            // A first attempt 1 to 2 s after the restart: time enough for someone else to take the nick.
            CommandRun run = chat(new PipedInputStream(keyboard), "--nick", "zed", "--room", "#r",
                    "--reconnect-initial", "2", "--reconnect-max", "2");
            run.awaitLine(line -> line.contains("You joined #r"));
            restartServer();
            try (RawClient impostor = new RawClient(server.port())) {
                impostor.send("NICK zed");
                impostor.await(line -> line.startsWith("OK NICK"));
                assertThat(run.exitCode()).isEqualTo(1);
            }
            keyboard.close();
            assertThat(run.err()).contains("parley: reconnected to 127.0.0.1:" + server.port()
                    + " but cannot register the nick 'zed' again: ").contains("(NICK_IN_USE)");
        }

        @Test
        @DisplayName("lines typed while the server is down are sent after reconnecting, in order")
        void queuedLines() throws Exception {
            PipedOutputStream keyboard = new PipedOutputStream();
            CommandRun run = chatAsZed(new PipedInputStream(keyboard));
            run.awaitLine(line -> line.contains("You joined #r"));
            int port = server.port();
            server.close();
            run.awaitErr(line -> line.contains("reconnecting in"));
            keyboard.write("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
            keyboard.close();
            server = TestServer.startOn(spool, port);
            try (RawClient amy = RawClient.member(port, "amy", "#r")) {
                // The lines may reach #r before amy does: she reads its history as well as its events.
                amy.send("HISTORY #r");
                java.util.Map<Integer, String> said = new java.util.TreeMap<>();
                while (said.size() < 3) {
                    String line = amy.await(l -> l.contains(" MSG #r zed :"));
                    said.put(Integer.parseInt(line.replaceFirst("^@(?:.*;)?msgid=(\\d+).*$", "$1")),
                            line.substring(line.indexOf(" :") + 2));
                }
                assertThat(said.values()).containsExactly("one", "two", "three");
                assertThat(run.exitCode()).as(run::err).isZero();
            }
        }
    }
}
