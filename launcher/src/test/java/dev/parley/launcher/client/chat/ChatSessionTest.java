package dev.parley.launcher.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.client.ConnectionException;
import dev.parley.client.DataLines;
import dev.parley.client.ParleyLink;
import dev.parley.client.Reply;
import dev.parley.client.ServerHello;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The chat's state and output against a link whose replies the test gives, one by one. */
class ChatSessionTest {
    private final FakeLink link = new FakeLink();
    private final List<String> screen = new CopyOnWriteArrayList<>();
    private final ChatFormat format = new ChatFormat(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), ZoneOffset.UTC);
    private final ChatSession session = session(false);

    private ChatSession session(boolean interactive) {
        ChatScreen chatScreen = new ChatScreen() {
            @Override
            public void show(String line) {
                screen.add(line);
            }

            @Override
            public boolean interactive() {
                return interactive;
            }
        };
        ChatFileCommands files = new ChatFileCommands(format, chatScreen::show, Path.of(""));
        ChatSession chat = new ChatSession(format, chatScreen, files);
        chat.attach(link, "me");
        files.attach(link);
        return chat;
    }

    private void type(String line) {
        session.handle(ChatInputParser.parse(line));
    }

    @Test
    @DisplayName("a line after /join goes to the joined room before the JOIN is answered")
    void pipelinedJoin() throws ProtocolException {
        type("/join #lobby");
        type("hello");
        assertThat(link.sent()).containsExactly("JOIN #lobby", "SAY #lobby :hello");
        link.answer("OK JOIN #Lobby");
        assertThat(session.currentRoom()).as("the server's spelling").isEqualTo("#Lobby");
    }

    @Test
    @DisplayName("a room message repeated after a cluster takeover (same msgid) is shown once; a rejoined room starts anew")
    void repeatsNotShown() throws ProtocolException {
        type("/join #lobby");
        link.answer("OK JOIN #lobby");
        for (String text : List.of("1 one", "2 two", "2 two", "1 one", "3 three")) {
            String[] idAndText = text.split(" ", 2);
            session.event(FrameParser.parse("@msgid=" + idAndText[0] + ";time=2026-11-25T01:00:00.000Z MSG #lobby bob :"
                    + idAndText[1]));
        }
        assertThat(screen.stream().filter(l -> l.contains("bob:"))).hasSize(3)
                .anyMatch(l -> l.endsWith("one")).anyMatch(l -> l.endsWith("two")).anyMatch(l -> l.endsWith("three"));
        type("/part #lobby");
        type("/join #lobby");
        link.answer("OK PART #lobby");
        link.answer("OK JOIN #lobby");
        session.event(FrameParser.parse("@msgid=1;time=2026-11-25T01:00:00.000Z MSG #lobby bob :a new room's first"));
        assertThat(screen).anyMatch(l -> l.endsWith("a new room's first"));
    }

    @Test
    @DisplayName("a refused /join switches back to the room before it")
    void refusedJoin() throws ProtocolException {
        type("/join #a");
        link.answer("OK JOIN #a");
        type("/join #b");
        assertThat(session.currentRoom()).isEqualTo("#b");
        link.answer("ERR JOIN TOO_MANY_ROOMS :you are in 1 rooms already");
        assertThat(session.currentRoom()).isEqualTo("#a");
        assertThat(screen).last().isEqualTo("! You are in 1 rooms already (TOO_MANY_ROOMS)");
    }

    @Test
    @DisplayName("/join of a joined room switches to it; /part moves to the last room joined before")
    void switching() throws ProtocolException {
        type("/join #a");
        type("/join #b");
        type("/join #a");
        link.answer("OK JOIN #a");
        link.answer("OK JOIN #b");
        link.answer("OK JOIN #a");
        assertThat(session.currentRoom()).isEqualTo("#a");
        assertThat(screen).last().isEqualTo("00:00 -!- Now talking in #a");
        type("/part");
        assertThat(link.sent()).last().isEqualTo("PART #a");
        assertThat(session.currentRoom()).isEqualTo("#b");
        link.answer("OK PART #a");
        assertThat(screen).last().isEqualTo("00:00 -!- You left #a; now talking in #b");
    }

    @Test
    @DisplayName("local lines wait for the answers to the commands typed before them")
    void order() throws ProtocolException {
        type("/join #a");
        type("/frob");
        assertThat(screen).isEmpty();
        link.answer("OK JOIN #a");
        assertThat(screen).containsExactly("00:00 -!- You joined #a",
                "! Unknown command /frob; /help lists the commands, //text sends a line starting with /");
    }

    @Test
    @DisplayName("own messages are echoed on a terminal only, once the server accepted them")
    void echo() throws ProtocolException {
        ChatSession terminal = session(true);
        terminal.handle(ChatInputParser.parse("/join #a"));
        link.answer("OK JOIN #a");
        terminal.handle(ChatInputParser.parse("hi"));
        assertThat(screen).last().isEqualTo("00:00 -!- You joined #a");
        link.answer("OK SAY #a");
        assertThat(screen).last().isEqualTo("00:00 [#a] me: hi");

        type("/join #a");
        link.answer("OK JOIN #a");
        screen.clear();
        type("hi");
        link.answer("OK SAY #a");
        assertThat(screen).isEmpty();
    }

    @Test
    @DisplayName("a line that cannot travel is refused locally, nothing is sent")
    void controlCharacters() throws ProtocolException {
        type("/join #a");
        int sent = link.sent().size();
        type("bad \u001b[2J");
        type("/join :a");
        assertThat(link.sent()).hasSize(sent);
        link.answer("OK JOIN #a");
        assertThat(screen).endsWith(
                "! Not sent: the protocol carries no control characters, and no name starting with ':'",
                "! Not sent: the protocol carries no control characters, and no name starting with ':'");
    }

    @Test
    @DisplayName("/who, /history and /topic without a room and no current room say how to name one")
    void noRoom() {
        type("/who");
        type("/history");
        type("/topic");
        type("hi");
        assertThat(link.sent()).isEmpty();
        assertThat(screen).containsExactly("! You are in no room; name one: /who #room",
                "! You are in no room; name one: /history #room", "! You are in no room; name one: /topic #room",
                "! You are in no room yet: /join #room to enter one, or /msg <nick> <text> to whisper");
    }

    /** Records commands; the test answers them in order. */
    @Test
    @DisplayName("/ban goes to the current room and says what the server banned; /who marks owner ~, op @, voice +")
    void moderation() throws ProtocolException {
        type("/ban mallory");
        assertThat(screen).last().asString().contains("You are in no room");
        type("/join #club");
        link.answer("OK JOIN #club");
        type("/ban mallory 2h spam");
        assertThat(link.sent()).last().isEqualTo("BAN #club mallory 2h :spam");
        link.answer("OK BAN #club account:mallory");
        assertThat(screen).last().asString().contains("Banned in #club: account:mallory");
        type("/who");
        link.answer("OK WHO #club 4", "MEMBER #club alice owner", "MEMBER #club bob op", "MEMBER #club carol voice",
                "MEMBER #club dave");
        assertThat(screen).last().asString().endsWith("#club (4): ~alice, @bob, +carol, dave");
    }

    private static final class FakeLink implements ParleyLink {
        private final List<Frame> commands = new ArrayList<>();
        private final List<CompletableFuture<Reply>> replies = new ArrayList<>();
        private int answered;

        List<String> sent() {
            return commands.stream().map(Frame::toString).toList();
        }

        void answer(String line, String... data) throws ProtocolException {
            List<Frame> lines = new ArrayList<>();
            for (String d : data) {
                lines.add(FrameParser.parse(d));
            }
            replies.get(answered++).complete(new Reply(FrameParser.parse(line), lines));
        }

        @Override
        public ServerHello hello() {
            return new ServerHello("fake", "1", "0", List.of("chat"));
        }

        @Override
        public CompletableFuture<Reply> request(Frame command, DataLines dataLines) {
            commands.add(command);
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            replies.add(reply);
            return reply;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void quit(String reason, Duration timeout) {
        }

        @Override
        public CompletableFuture<ConnectionException> closed() {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {
        }
    }
}
