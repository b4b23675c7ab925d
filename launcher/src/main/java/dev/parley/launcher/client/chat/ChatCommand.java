package dev.parley.launcher.client.chat;

import dev.parley.core.protocol.Frame;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.client.ClientOptions;
import dev.parley.launcher.client.Consoles;
import dev.parley.launcher.client.chat.ChatInput.Msg;
import dev.parley.launcher.client.chat.ChatInput.Quit;
import dev.parley.launcher.client.chat.ChatInput.Say;
import dev.parley.client.ConnectionException;
import dev.parley.client.ParleyLink;
import dev.parley.client.Reply;
import dev.parley.launcher.client.display.SafeText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley chat}: talk in rooms. On a terminal it edits lines with history and prints what arrives
 * above the input line. Otherwise (stdin a pipe or file) it reads lines as if typed, prints what it receives
 * on stdout without escape sequences, and at {@code /quit} or the end of input quits once every command
 * sent has been answered.
 *
 * <p>Exit codes: 0 after {@code /quit} or the end of input; with stdin from a pipe or file, 3 instead when
 * anything it was told failed (the server refused a command, or a line was no valid command: each printed
 * as a {@code ! ...} line), so that a script can tell; 1 when the connection cannot be made, reconnecting
 * gives up ({@code --reconnect-attempts}), or the nick is refused (also when registering again after a server
 * restart). A broken connection is replaced (see {@code ReconnectingLink}); lines typed meanwhile wait.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat in rooms on a Parley server.",
                "On a terminal: line editing, history, /help for the commands. With stdin from a pipe or file:"
                        + " each line is sent as if typed; received messages go to stdout; exits 0 after /quit or"
                        + " the end of input, once every command has been answered (3 if any was refused).",
                "A lost connection is re-established (resumed, or the nick and rooms taken again after a server"
                        + " restart); lines typed meanwhile are sent once it is back."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:after /quit or the end of input", "1:cannot connect, gave up reconnecting, or nick refused",
                "2:bad usage", "3:stdin not a terminal: a command was refused or invalid (shown as a ! line)"})
public final class ChatCommand implements Callable<Integer> {
    /** Exit code of a piped chat in which something it was told failed. */
    public static final int REFUSED = 3;

    /** Long enough for a /get of a large file queued before /quit. */
    private static final Duration QUIT_TIMEOUT = Duration.ofMinutes(5);

    @Mixin
    ClientOptions server;

    @Option(names = "--room", paramLabel = "#ROOM", description = "Room to join at once.")
    String room;

    @Option(names = "--json", description = "For scripts and bots: read lines as from a pipe and print one JSON"
            + " object per line on stdout: each event as the server sent it, each command's success or refusal,"
            + " each own message.")
    boolean json;

    @Spec
    CommandSpec spec;

    private InputStream stdin;
    private ChatFileCommands files;

    /** Reads this instead of System.in, as a pipe would (tests run the command in-process this way). */
    public ChatCommand readFrom(InputStream input) {
        this.stdin = input;
        return this;
    }

    @Override
    public Integer call() throws Exception {
        // Before the terminal or stdin serve the chat: the password is typed (or piped) first.
        server.readPassword(stdin != null ? stdin : System.in);
        if (stdin == null && !json && Consoles.isTerminal()) {
            Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build();
            if (!terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
                try (terminal) {
                    return interactive(terminal);
                }
            }
            terminal.close();
        }
        return piped(stdin != null ? stdin : System.in);
    }

    // ---- stdin from a pipe or file ----

    private int piped(InputStream stdinOrPipe) {
        ChatFormat format = json ? JsonChatFormat.utc() : ChatFormat.system();
        PlainScreen screen = new PlainScreen(spec.commandLine().getOut(), spec.commandLine().getErr());
        BlockingQueue<Typed> typed = new LinkedBlockingQueue<>();
        ChatSession session = newSession(format, screen);
        session.onClosed(cause -> {
            if (cause != null) {
                typed.add(new Typed(null, cause));
            }
        });
        ParleyLink connection = connect(session);
        server.login(connection);
        String nick = register(connection, server.nick, null, screen, format);
        session.attach(connection, nick);
        files.attach(connection);
        joinFirstRoom(session);

        Thread reader = new Thread(() -> readLines(stdinOrPipe, typed), "parley-chat-stdin");
        reader.setDaemon(true);
        reader.start();
        while (true) {
            Typed next = take(typed);
            if (next.ended()) {
                throw lost(next.cause, connection);
            }
            if (next.line == null) {
                return pipedExit(quit(connection, Optional.empty()), format);
            }
            ChatInput input = ChatInputParser.parse(next.line);
            if (input instanceof Quit quit) {
                return pipedExit(quit(connection, quit.reason()), format);
            }
            session.handle(input);
        }
    }

    /** After every answer is in (quit waits for them): 3 when any line failed, so a script can tell. */
    private static int pipedExit(int quitCode, ChatFormat format) {
        return quitCode == 0 && format.errors() > 0 ? REFUSED : quitCode;
    }

    private static void readLines(InputStream input, BlockingQueue<Typed> typed) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                typed.add(new Typed(line, null));
            }
        } catch (IOException e) {
            // the end of input, as far as we can tell
        }
        typed.add(new Typed(null, null));
    }

    /** A line read, the end of input (both null), or the connection's end ({@code cause} set). */
    private record Typed(String line, ConnectionException cause) {
        boolean ended() {
            return cause != null;
        }
    }

    // ---- a terminal ----

    private int interactive(Terminal terminal) {
        ChatFormat format = ChatFormat.system();
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("parley")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true).build();
        TerminalScreen screen = new TerminalScreen(reader);
        ChatSession session = newSession(format, screen);
        ConnectionException[] ended = new ConnectionException[1];
        session.onClosed(cause -> {
            if (cause == null) {
                return; // our own /quit
            }
            synchronized (ended) {
                ended[0] = cause;
            }
            terminal.raise(Terminal.Signal.INT);
        });
        session.onRoomChange(() -> screen.prompt(prompt(session)));
        // A nick taken while the server had forgotten us: the next line typed answers, not the chat.
        AtomicReference<CompletableFuture<String>> nickWanted = new AtomicReference<>();
        session.nickChooser(refused -> {
            CompletableFuture<String> answer = new CompletableFuture<>();
            nickWanted.set(answer);
            screen.show(format.notice("Type another nick (an empty line gives up):"));
            screen.prompt("Another nick: ");
            try {
                String nick = answer.join().strip();
                return nick.isEmpty() ? Optional.empty() : Optional.of(nick);
            } finally {
                nickWanted.set(null);
                screen.prompt(prompt(session));
            }
        });
        ParleyLink connection = connect(session);
        server.login(connection);
        String nick = register(connection, server.nick, reader, screen, format);
        session.attach(connection, nick);
        files.attach(connection);
        screen.show(format.notice("Connected to " + SafeText.escape(connection.hello().serverName()) + " as "
                + SafeText.escape(nick) + "; /help lists the commands"));
        joinFirstRoom(session);
        while (true) {
            String prompt = prompt(session);
            String line;
            try {
                line = screen.readLine(prompt);
            } catch (UserInterruptException | EndOfFileException e) {
                CompletableFuture<String> asked = nickWanted.get();
                if (asked != null) {
                    asked.complete(""); // give up the nick question, then end as below
                }
                synchronized (ended) {
                    if (ended[0] != null) {
                        throw lost(ended[0], connection);
                    }
                }
                return quit(connection, Optional.empty());
            }
            CompletableFuture<String> asked = nickWanted.get();
            if (asked != null) {
                asked.complete(line);
                continue;
            }
            ChatInput input = ChatInputParser.parse(line);
            if (input instanceof Quit quit) {
                return quit(connection, quit.reason());
            }
            if (input instanceof Say || input instanceof Msg) {
                screen.eraseEntered(prompt, line);
            }
            session.handle(input);
        }
    }

    private static String prompt(ChatSession session) {
        String room = session.currentRoom();
        return (room == null ? "" : SafeText.escape(room)) + "> ";
    }

    // ---- both ----

    private ChatSession newSession(ChatFormat format, ChatScreen screen) {
        files = new ChatFileCommands(format, screen::show, Path.of(""));
        return new ChatSession(format, screen, files);
    }

    private ParleyLink connect(ChatSession session) {
        ParleyLink connection = server.connectReconnecting(session);
        server.requirePlugin(connection, "chat");
        return connection;
    }

    /**
     * Chooses the nick. On a terminal a taken or malformed nick is asked again; otherwise it ends the command.
     *
     * @return the nick as the server shows it
     */
    private String register(ParleyLink connection, String wanted, LineReader reader, ChatScreen screen,
                            ChatFormat format) {
        String nick = wanted;
        while (true) {
            Reply reply = server.await(connection, Frame.of("NICK").param(nick).build());
            if (reply.ok()) {
                return reply.results().isEmpty() ? nick : reply.results().get(0);
            }
            boolean retry = reader != null && ("NICK_IN_USE".equals(reply.code()) || "BAD_NAME".equals(reply.code()));
            if (!retry) {
                connection.close();
                throw new LaunchException(LaunchException.ENVIRONMENT,
                        "cannot use the nick '" + SafeText.escape(nick) + "': " + reply.sentence(), null);
            }
            screen.show(format.error(reply.sentence()));
            try {
                nick = reader.readLine("Another nick: ").strip();
                for (Optional<String> problem; (problem = ClientOptions.unusableNick(nick)).isPresent(); ) {
                    screen.show(format.error(problem.get()));
                    nick = reader.readLine("Another nick: ").strip();
                }
            } catch (UserInterruptException | EndOfFileException e) {
                connection.close();
                throw new LaunchException(LaunchException.ENVIRONMENT, "no nick chosen", e);
            }
        }
    }

    private void joinFirstRoom(ChatSession session) {
        if (room != null) {
            session.handle(new ChatInput.Join(room));
        }
    }

    /** Quits once the file transfers started from the chat and every command sent are answered. */
    private int quit(ParleyLink connection, Optional<String> reason) {
        files.awaitIdle();
        connection.quit(reason.orElse(null), QUIT_TIMEOUT);
        ConnectionException lost = connection.closed().getNow(null);
        if (lost != null) {
            throw lost(lost, connection);
        }
        return 0;
    }

    private static LaunchException lost(ConnectionException cause, ParleyLink connection) {
        connection.close();
        return new LaunchException(LaunchException.ENVIRONMENT, cause.getMessage(), cause);
    }

    private static Typed take(BlockingQueue<Typed> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(LaunchException.ENVIRONMENT, "interrupted", e);
        }
    }
}
