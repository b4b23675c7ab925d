package dev.parley.launcher.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.client.chat.ChatInput.Blank;
import dev.parley.launcher.client.chat.ChatInput.Files;
import dev.parley.launcher.client.chat.ChatInput.Get;
import dev.parley.launcher.client.chat.ChatInput.Help;
import dev.parley.launcher.client.chat.ChatInput.History;
import dev.parley.launcher.client.chat.ChatInput.Invalid;
import dev.parley.launcher.client.chat.ChatInput.Join;
import dev.parley.launcher.client.chat.ChatInput.Msg;
import dev.parley.launcher.client.chat.ChatInput.Nick;
import dev.parley.launcher.client.chat.ChatInput.Part;
import dev.parley.launcher.client.chat.ChatInput.Quit;
import dev.parley.launcher.client.chat.ChatInput.Rooms;
import dev.parley.launcher.client.chat.ChatInput.Say;
import dev.parley.launcher.client.chat.ChatInput.Send;
import dev.parley.launcher.client.chat.ChatInput.Topic;
import dev.parley.launcher.client.chat.ChatInput.Who;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatInputParserTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("hello world", new Say("hello world")),
                Arguments.of("  spaced  ", new Say("  spaced  ")),
                Arguments.of("//not a command", new Say("/not a command")),
                Arguments.of("", new Blank()),
                Arguments.of("   ", new Blank()),
                Arguments.of("/join #lobby", new Join("#lobby")),
                Arguments.of("/JOIN #Lobby", new Join("#Lobby")),
                Arguments.of("/join #club sesame", new Join("#club", java.util.Optional.of("sesame"))),
                Arguments.of("/part", new Part(Optional.empty(), Optional.empty())),
                Arguments.of("/part #lobby", new Part(Optional.of("#lobby"), Optional.empty())),
                Arguments.of("/part #lobby gone fishing", new Part(Optional.of("#lobby"), Optional.of("gone fishing"))),
                Arguments.of("/part gone fishing", new Part(Optional.empty(), Optional.of("gone fishing"))),
                Arguments.of("/msg bob hi there", new Msg("bob", "hi there")),
                Arguments.of("/who", new Who(Optional.empty())),
                Arguments.of("/who #dev", new Who(Optional.of("#dev"))),
                Arguments.of("/rooms", new Rooms()),
                Arguments.of("/history", new History(Optional.empty(), Optional.empty())),
                Arguments.of("/history 20", new History(Optional.empty(), Optional.of(20))),
                Arguments.of("/history #dev 5", new History(Optional.of("#dev"), Optional.of(5))),
                Arguments.of("/nick alice", new Nick("alice")),
                Arguments.of("/topic", new Topic(Optional.empty(), Optional.empty())),
                Arguments.of("/topic #dev", new Topic(Optional.of("#dev"), Optional.empty())),
                Arguments.of("/topic #dev release on Friday", new Topic(Optional.of("#dev"), Optional.of("release on Friday"))),
                Arguments.of("/topic release on Friday", new Topic(Optional.empty(), Optional.of("release on Friday"))),
                Arguments.of("/help", new Help()),
                Arguments.of("/quit", new Quit(Optional.empty())),
                Arguments.of("/quit see you", new Quit(Optional.of("see you"))),
                Arguments.of("/send bob ./my file.txt", new Send("bob", "./my file.txt")),
                Arguments.of("/files", new Files()),
                Arguments.of("/get kq3z5v7mbx2hd4tjw6ypn8ac4e", new Get("kq3z5v7mbx2hd4tjw6ypn8ac4e", Optional.empty())),
                Arguments.of("/get kq3z5v7mbx2hd4tjw6ypn8ac4e /tmp/in", new Get("kq3z5v7mbx2hd4tjw6ypn8ac4e", Optional.of("/tmp/in"))));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("lines")
    @DisplayName("a typed line becomes a message or a slash command")
    void parses(String line, ChatInput expected) {
        assertThat(ChatInputParser.parse(line)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/join", "/join #a key more", "/msg bob", "/msg", "/nick", "/nick a b", "/history x",
            "/history 0", "/history 5 #dev", "/rooms extra", "/send bob", "/get", "/files x", "/who #a #b", "/"})
    @DisplayName("a malformed slash command says its accepted form")
    void usage(String line) {
        assertThat(ChatInputParser.parse(line)).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).startsWith("Usage: /"));
    }

    static Stream<Arguments> moderation() {
        return Stream.of(
                Arguments.of("/register carol my long pw", "REGISTER carol :my long pw"),
                Arguments.of("/claim", "CLAIM #.current"),
                Arguments.of("/claim #club", "CLAIM #club"),
                Arguments.of("/grant bob op", "GRANT #.current bob op"),
                Arguments.of("/grant bob voice #club", "GRANT #club bob voice"),
                Arguments.of("/ban mallory", "BAN #.current mallory"),
                Arguments.of("/ban mallory 2h spam and more", "BAN #.current mallory 2h :spam and more"),
                Arguments.of("/ban nick:x being rude", "BAN #.current nick:x :being rude"),
                Arguments.of("/unban account:mallory", "UNBAN #.current account:mallory"),
                Arguments.of("/kick bob calm down", "KICK #.current bob :calm down"),
                Arguments.of("/invite bob", "INVITE #.current bob"),
                Arguments.of("/set key s3cret", "SET #.current key s3cret"),
                Arguments.of("/set moderated on", "SET #.current moderated on"));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("moderation")
    @DisplayName("account and moderation commands become their protocol command, in the current room where none is named")
    void moderationCommands(String line, String command) {
        assertThat(ChatInputParser.parse(line)).isInstanceOfSatisfying(ChatInput.Moderation.class,
                m -> assertThat(m.command().toString()).isEqualTo(command));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/register carol", "/grant bob", "/set key", "/ban", "/invite", "/unban", "/kick",
            "/claim #a #b", "/set a b c"})
    @DisplayName("a malformed moderation command says its accepted form")
    void moderationUsage(String line) {
        assertThat(ChatInputParser.parse(line)).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).startsWith("Usage: /"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/frobnicate", "/JOINX #a"})
    @DisplayName("an unknown slash command points to /help and to //")
    void unknown(String line) {
        assertThat(ChatInputParser.parse(line)).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).startsWith("Unknown command /").contains("/help", "//text"));
    }
}
