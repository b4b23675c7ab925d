package dev.parley.chat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.chat.ChatHarness;
import dev.parley.chat.ChatHarness.Client;
import dev.parley.chat.ChatHarness.Result;
import dev.parley.chat.protocol.ChatErrors;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.FrameWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomCommandsTest {
    private static final String TIME = "time=2026-11-24T23:59:01.123Z";

    private final ChatHarness chat = new ChatHarness();
    private Client alice;
    private Client bob;
    private Client carol;

    @BeforeEach
    void people() {
        alice = chat.registered("alice");
        bob = chat.registered("bob");
        carol = chat.registered("carol");
    }

    private void allTakeEvents() {
        alice.takeEvents();
        bob.takeEvents();
        carol.takeEvents();
    }

    @Nested
    @DisplayName("JOIN")
    class Join {
        @Test
        @DisplayName("answers OK JOIN and tells the other members JOINED, not the joiner")
        void joined() {
            assertThat(alice.send("JOIN #lobby").line()).isEqualTo("OK JOIN #lobby");
            assertThat(bob.send("JOIN #lobby").line()).isEqualTo("OK JOIN #lobby");
            assertThat(alice.events()).containsExactly("JOINED #lobby bob");
            assertThat(bob.events()).isEmpty();
            assertThat(carol.events()).isEmpty();
        }

        @Test
        @DisplayName("joining a room again answers OK without a second JOINED")
        void again() {
            alice.ok("JOIN #lobby");
            bob.ok("JOIN #lobby");
            assertThat(bob.send("JOIN #LOBBY").line()).isEqualTo("OK JOIN #lobby");
            assertThat(alice.events()).containsExactly("JOINED #lobby bob");
        }

        @Test
        @DisplayName("shows the room as its creator wrote it, whatever case or normal form others use")
        void displayAsCreated() {
            alice.ok("JOIN #Cafe\u0301");
            assertThat(bob.send("JOIN #CAFÉ").line()).isEqualTo("OK JOIN #Caf\u00E9");
            assertThat(alice.events()).containsExactly("JOINED #Caf\u00E9 bob");
        }

        @ParameterizedTest(name = "rejects \"{0}\" with BAD_NAME")
        @ValueSource(strings = {"JOIN lobby", "JOIN #", "JOIN #lob!by", "JOIN ##x"})
        void badName(String line) {
            Result r = alice.send(line);
            assertThat(r.error()).isEqualTo(ChatErrors.BAD_NAME);
            assertThat(r.line()).contains("'#' followed by 1 to 32 letters");
        }

        @ParameterizedTest(name = "answers BAD_ARGUMENT to \"{0}\"")
        @ValueSource(strings = {"JOIN", "JOIN #a key extra"})
        void badArgument(String line) {
            assertThat(alice.send(line).error()).isEqualTo(ChatErrors.BAD_ARGUMENT);
        }

        @Test
        @DisplayName("one room past max-rooms-per-session answers TOO_MANY_ROOMS; rejoining a joined room still works")
        void tooManyRooms() {
            ChatHarness small = new ChatHarness("max-rooms-per-session = 2");
            Client dora = small.registered("dora");
            dora.ok("JOIN #one");
            dora.ok("JOIN #two");
            Result r = dora.send("JOIN #three");
            assertThat(r.error()).isEqualTo(ChatErrors.TOO_MANY_ROOMS);
            assertThat(r.line()).contains("PART one before joining #three");
            dora.ok("JOIN #two");
            dora.ok("PART #one");
            dora.ok("JOIN #three");
        }
    }

    @Nested
    @DisplayName("PART")
    class Part {
        @Test
        @DisplayName("answers OK PART and tells the others LEFT, with the reason when given")
        void left() {
            alice.ok("JOIN #lobby");
            bob.ok("JOIN #lobby");
            carol.ok("JOIN #lobby");
            allTakeEvents();
            assertThat(bob.send("PART #Lobby").line()).isEqualTo("OK PART #lobby");
            carol.ok("PART #lobby :off to lunch");
            assertThat(alice.events()).containsExactly("LEFT #lobby bob", "LEFT #lobby carol :off to lunch");
            assertThat(carol.events()).containsExactly("LEFT #lobby bob");
            assertThat(bob.events()).isEmpty();
        }

        @Test
        @DisplayName("a room you are not in answers NOT_IN_ROOM, whether or not it exists")
        void notInRoom() {
            alice.ok("JOIN #lobby");
            assertThat(bob.send("PART #lobby").error()).isEqualTo(ChatErrors.NOT_IN_ROOM);
            assertThat(bob.send("PART #nowhere").error()).isEqualTo(ChatErrors.NOT_IN_ROOM);
            assertThat(alice.events()).isEmpty();
        }

        @Test
        @DisplayName("the last member leaving closes the room; it keeps its history, numbering and topic")
        void roomRemovedWhenEmpty() {
            alice.ok("JOIN #lobby");
            alice.ok("TOPIC #lobby :old news");
            alice.ok("SAY #lobby :one");
            alice.ok("PART #LOBBY");
            assertThat(carol.send("WHO #lobby").error()).isEqualTo(ChatErrors.NO_SUCH_ROOM);
            assertThat(carol.send("ROOMS").line()).isEqualTo("OK ROOMS 0");
            assertThat(chat.directory().members("#lobby")).isEmpty();
            bob.ok("JOIN #LOBBY");
            assertThat(carol.send("ROOMS").dataLines()).containsExactly("ROOM #LOBBY 1 :old news");
            Result history = bob.send("HISTORY #lobby");
            assertThat(history.dataLines()).containsExactly("@msgid=1;" + TIME + " MSG #lobby alice :one");
            assertThat(history.line()).isEqualTo("OK HISTORY #LOBBY 1");
            carol.ok("JOIN #lobby");
            bob.ok("SAY #lobby :fresh");
            assertThat(carol.events()).containsExactly("@msgid=2;" + TIME + " MSG #LOBBY bob :fresh");
        }

        @ParameterizedTest(name = "answers BAD_ARGUMENT to \"{0}\"")
        @ValueSource(strings = {"PART", "PART #a b c"})
        void badArgument(String line) {
            assertThat(alice.send(line).error()).isEqualTo(ChatErrors.BAD_ARGUMENT);
        }

        @Test
        @DisplayName("a bad room name answers BAD_NAME")
        void badName() {
            assertThat(alice.send("PART lobby").error()).isEqualTo(ChatErrors.BAD_NAME);
        }
    }

    @Nested
    @DisplayName("SAY")
    class Say {
        @BeforeEach
        void joinAll() {
            alice.ok("JOIN #lobby");
            bob.ok("JOIN #lobby");
            carol.ok("JOIN #lobby");
            allTakeEvents();
        }

        @Test
        @DisplayName("reaches every member but the sender as a tagged MSG with msgid and UTC time in ms")
        void fanOut() {
            assertThat(alice.send("SAY #LOBBY :hello there").line()).isEqualTo("OK SAY #lobby");
            String expected = "@msgid=1;" + TIME + " MSG #lobby alice :hello there";
            assertThat(bob.events()).containsExactly(expected);
            assertThat(carol.events()).containsExactly(expected);
            assertThat(alice.events()).isEmpty();
        }

        @Test
        @DisplayName("numbers messages 1, 2, 3 within a room, independently of other rooms")
        void msgids() {
            alice.ok("JOIN #other");
            bob.ok("JOIN #other");
            bob.takeEvents();
            alice.ok("SAY #lobby :a");
            carol.ok("SAY #lobby :b");
            alice.ok("SAY #other :c");
            alice.ok("SAY #lobby :d");
            assertThat(bob.events()).containsExactly(
                    "@msgid=1;" + TIME + " MSG #lobby alice :a",
                    "@msgid=2;" + TIME + " MSG #lobby carol :b",
                    "@msgid=1;" + TIME + " MSG #other alice :c",
                    "@msgid=3;" + TIME + " MSG #lobby alice :d");
        }

        @Test
        @DisplayName("round-trips UTF-8 text through the wire encoding: héllo wörld ✓")
        void utf8() throws Exception {
            alice.ok("SAY #lobby :héllo wörld ✓");
            Frame received = bob.eventFrames().get(0);
            byte[] wire = FrameWriter.encode(received);
            String line = new String(wire, 0, wire.length - 1, StandardCharsets.UTF_8);
            assertThat(line).endsWith("MSG #lobby alice :héllo wörld ✓");
            assertThat(FrameParser.parse(line).trailing()).isEqualTo("héllo wörld ✓");
        }

        @Test
        @DisplayName("to a room you are not in answers NOT_IN_ROOM with what to do next")
        void notInRoom() {
            Client dora = chat.registered("dora");
            assertThat(dora.send("SAY #lobby :hi").line())
                    .isEqualTo("ERR SAY NOT_IN_ROOM :you are not in #lobby; JOIN #lobby first");
            assertThat(dora.send("SAY #nowhere :hi").error()).isEqualTo(ChatErrors.NOT_IN_ROOM);
            assertThat(bob.events()).isEmpty();
        }

        @ParameterizedTest(name = "answers BAD_ARGUMENT to \"{0}\"")
        @ValueSource(strings = {"SAY #lobby :", "SAY #lobby", "SAY", "SAY #lobby two words"})
        void badArgument(String line) {
            assertThat(alice.send(line).error()).isEqualTo(ChatErrors.BAD_ARGUMENT);
            assertThat(bob.events()).isEmpty();
        }

        @Test
        @DisplayName("a bad room name answers BAD_NAME")
        void badName() {
            assertThat(alice.send("SAY lobby :hi").error()).isEqualTo(ChatErrors.BAD_NAME);
        }

        @Test
        @DisplayName("text over max-message-bytes of UTF-8 answers MESSAGE_TOO_LONG; exactly the limit passes")
        void tooLong() {
            ChatHarness small = new ChatHarness("max-message-bytes = 6");
            Client a = small.registered("a");
            Client b = small.registered("b");
            a.ok("JOIN #r");
            b.ok("JOIN #r");
            assertThat(a.send("SAY #r :ééé").reply().isOk()).isTrue();      // 6 bytes, 3 characters
            Result r = a.send("SAY #r :éééa");                                // 7 bytes
            assertThat(r.error()).isEqualTo(ChatErrors.MESSAGE_TOO_LONG);
            assertThat(r.line()).contains("7 bytes").contains("the limit is 6");
            assertThat(b.events()).hasSize(1);
        }
    }

    @Nested
    @DisplayName("WHO")
    class Who {
        @Test
        @DisplayName("lists MEMBER lines in join order, then OK WHO <#room> <count>")
        void members() {
            bob.ok("JOIN #lobby");
            alice.ok("JOIN #lobby");
            Result r = carol.send("WHO #LOBBY");
            assertThat(r.dataLines()).containsExactly("MEMBER #lobby bob", "MEMBER #lobby alice");
            assertThat(r.line()).isEqualTo("OK WHO #lobby 2");
        }

        @Test
        @DisplayName("an unknown room answers NO_SUCH_ROOM")
        void unknown() {
            Result r = alice.send("WHO #nowhere");
            assertThat(r.error()).isEqualTo(ChatErrors.NO_SUCH_ROOM);
            assertThat(r.data()).isEmpty();
            assertThat(r.line()).contains("JOIN #nowhere creates it");
        }

        @ParameterizedTest(name = "answers {0}")
        @ValueSource(strings = {"WHO", "WHO lobby"})
        void bad(String line) {
            assertThat(alice.send(line).error()).isIn(ChatErrors.BAD_ARGUMENT, ChatErrors.BAD_NAME);
        }
    }

    @Nested
    @DisplayName("ROOMS and TOPIC")
    class RoomsAndTopic {
        @Test
        @DisplayName("ROOMS lists ROOM <#room> <members> [:topic] sorted by name, then OK ROOMS <count>")
        void rooms() {
            alice.ok("JOIN #zeta");
            alice.ok("JOIN #Alpha");
            bob.ok("JOIN #alpha");
            bob.ok("TOPIC #alpha :all about α");
            Result r = carol.send("ROOMS");
            assertThat(r.dataLines()).containsExactly("ROOM #Alpha 2 :all about α", "ROOM #zeta 1");
            assertThat(r.line()).isEqualTo("OK ROOMS 2");
        }

        @Test
        @DisplayName("ROOMS takes no arguments")
        void roomsArguments() {
            assertThat(alice.send("ROOMS #x").error()).isEqualTo(ChatErrors.BAD_ARGUMENT);
        }

        @Test
        @DisplayName("a member sets the topic; the other members get TOPIC <#room> <nick> :<text>")
        void setTopic() {
            alice.ok("JOIN #lobby");
            bob.ok("JOIN #lobby");
            allTakeEvents();
            assertThat(bob.send("TOPIC #lobby :welcome ✓").line()).isEqualTo("OK TOPIC #lobby");
            assertThat(alice.events()).containsExactly("TOPIC #lobby bob :welcome ✓");
            assertThat(bob.events()).isEmpty();
            assertThat(carol.send("TOPIC #lobby").line()).isEqualTo("OK TOPIC #lobby :welcome ✓");
        }

        @Test
        @DisplayName("an empty text clears the topic")
        void clearTopic() {
            alice.ok("JOIN #lobby");
            alice.ok("TOPIC #lobby :x");
            alice.ok("TOPIC #lobby :");
            assertThat(alice.send("TOPIC #lobby").line()).isEqualTo("OK TOPIC #lobby");
            assertThat(carol.send("ROOMS").dataLines()).containsExactly("ROOM #lobby 1");
        }

        @Test
        @DisplayName("only members set the topic (NOT_IN_ROOM); asking about an unknown room answers NO_SUCH_ROOM")
        void topicErrors() {
            alice.ok("JOIN #lobby");
            assertThat(bob.send("TOPIC #lobby :mine").error()).isEqualTo(ChatErrors.NOT_IN_ROOM);
            assertThat(bob.send("TOPIC #nowhere").error()).isEqualTo(ChatErrors.NO_SUCH_ROOM);
            assertThat(bob.send("TOPIC").error()).isEqualTo(ChatErrors.BAD_ARGUMENT);
            assertThat(bob.send("TOPIC nowhere").error()).isEqualTo(ChatErrors.BAD_NAME);
            assertThat(alice.events()).isEmpty();
        }

        @Test
        @DisplayName("a topic over max-message-bytes answers MESSAGE_TOO_LONG")
        void topicTooLong() {
            ChatHarness small = new ChatHarness("max-message-bytes = 3");
            Client a = small.registered("a");
            a.ok("JOIN #r");
            assertThat(a.send("TOPIC #r :four").error()).isEqualTo(ChatErrors.MESSAGE_TOO_LONG);
        }
    }

    @Nested
    @DisplayName("HISTORY")
    class History {
        private final ChatHarness small = new ChatHarness("history-page = 3");
        private Client a;
        private Client b;

        @BeforeEach
        void room() {
            a = small.registered("a");
            b = small.registered("b");
            a.ok("JOIN #r");
            b.ok("JOIN #r");
        }

        @Test
        @DisplayName("replays the last history-page messages, oldest first, as the same tagged MSG lines")
        void bounded() {
            for (int i = 1; i <= 5; i++) {
                (i % 2 == 0 ? b : a).ok("SAY #r :m" + i);
            }
            Result r = a.send("HISTORY #r");
            assertThat(r.dataLines()).containsExactly(
                    "@msgid=3;" + TIME + " MSG #r a :m3",
                    "@msgid=4;" + TIME + " MSG #r b :m4",
                    "@msgid=5;" + TIME + " MSG #r a :m5");
            assertThat(r.line()).isEqualTo("OK HISTORY #r 3");
            assertThat(a.send("HISTORY #r 3").dataLines()).isEqualTo(r.dataLines());
            assertThat(b.events()).contains(r.dataLines().get(0), r.dataLines().get(2));
        }

        @Test
        @DisplayName("n picks the last n; n above history-page is capped")
        void count() {
            a.ok("SAY #r :m1");
            a.ok("SAY #r :m2");
            assertThat(a.send("HISTORY #r 1").dataLines()).containsExactly("@msgid=2;" + TIME + " MSG #r a :m2");
            assertThat(a.send("HISTORY #r 1000").line()).isEqualTo("OK HISTORY #r 2");
        }

        @Test
        @DisplayName("an empty room history answers OK HISTORY <#room> 0")
        void empty() {
            Result r = a.send("HISTORY #r");
            assertThat(r.data()).isEmpty();
            assertThat(r.line()).isEqualTo("OK HISTORY #r 0");
        }

        @ParameterizedTest(name = "answers BAD_ARGUMENT to \"{0}\"")
        @ValueSource(strings = {"HISTORY #r 0", "HISTORY #r -1", "HISTORY #r x", "HISTORY #r 99999999999", "HISTORY",
                "HISTORY #r 1 2"})
        void badCount(String line) {
            assertThat(a.send(line).error()).isEqualTo(ChatErrors.BAD_ARGUMENT);
        }

        @Test
        @DisplayName("only members may read it: others get NOT_IN_ROOM")
        void membersOnly() {
            a.ok("SAY #r :secret");
            Client c = small.registered("c");
            Result r = c.send("HISTORY #r");
            assertThat(r.error()).isEqualTo(ChatErrors.NOT_IN_ROOM);
            assertThat(r.data()).isEmpty();
            assertThat(c.send("HISTORY !r").error()).isEqualTo(ChatErrors.BAD_NAME);
            assertThat(c.send("HISTORY a").error()).as("a nick's conversation needs an account")
                    .isEqualTo(ChatErrors.NOT_AUTHENTICATED);
        }
    }
}
