package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.chat.ChatHarness.Client;
import dev.parley.chat.protocol.ChatErrors;
import dev.parley.core.spi.Directory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChatSessionsTest {
    private final ChatHarness chat = new ChatHarness();

    @Nested
    @DisplayName("a session that ends (QUIT or disconnect)")
    class Ending {
        @Test
        @DisplayName("leaves every room: the others get LEFT <#room> <nick> :<reason> once per room")
        void leavesEverything() {
            Client alice = chat.registered("alice");
            Client bob = chat.registered("bob");
            Client carol = chat.registered("carol");
            alice.ok("JOIN #a");
            alice.ok("JOIN #b");
            bob.ok("JOIN #a");
            bob.ok("JOIN #b");
            carol.ok("JOIN #b");
            bob.takeEvents();
            carol.takeEvents();
            alice.end("gone fishing");
            assertThat(bob.events()).containsExactlyInAnyOrder("LEFT #a alice :gone fishing", "LEFT #b alice :gone fishing");
            assertThat(carol.events()).containsExactly("LEFT #b alice :gone fishing");
            assertThat(bob.send("WHO #a").dataLines()).containsExactly("MEMBER #a bob");
        }

        @Test
        @DisplayName("frees its nick")
        void freesNick() {
            chat.registered("alice").end("quit");
            assertThat(chat.connect().send("NICK ALICE").line()).isEqualTo("OK NICK ALICE");
        }

        @Test
        @DisplayName("removes the rooms it was last in")
        void removesEmptyRooms() {
            Client alice = chat.registered("alice");
            alice.ok("JOIN #solo");
            alice.end("connection lost");
            assertThat(chat.registered("bob").send("WHO #solo").error()).isEqualTo(ChatErrors.NO_SUCH_ROOM);
        }

        @Test
        @DisplayName("without a reason sends LEFT without text; without a nick changes nothing")
        void noReason() {
            Client alice = chat.registered("alice");
            Client bob = chat.registered("bob");
            alice.ok("JOIN #a");
            bob.ok("JOIN #a");
            alice.takeEvents();
            bob.end(null);
            assertThat(alice.events()).containsExactly("LEFT #a bob");
            chat.connect().end("never registered");
            assertThat(alice.send("WHO #a").line()).isEqualTo("OK WHO #a 1");
        }
    }

    @Nested
    @DisplayName("the Directory service")
    class DirectoryService {
        @Test
        @DisplayName("finds sessions by nick and room members, comparing names canonically")
        void lookups() {
            Client alice = chat.registered("E\u0301lodie");
            Client bob = chat.registered("bob");
            alice.ok("JOIN #Lobby");
            Directory directory = chat.directory();
            assertThat(directory.canonical("ÉLODIE")).isEqualTo("\u00E9lodie");
            assertThat(directory.canonical("#LOBBY")).isEqualTo("#lobby");
            assertThat(directory.session("\u00C9LODIE")).containsSame(alice.session());
            assertThat(directory.session("nobody")).isEmpty();
            assertThat(directory.members("#lobby")).hasValueSatisfying(m -> assertThat(m).containsExactly(alice.session()));
            assertThat(directory.members("#nowhere")).isEmpty();
            assertThat(directory.isMember("#LOBBY", alice.session())).isTrue();
            assertThat(directory.isMember("#lobby", bob.session())).isFalse();
            alice.end("bye");
            assertThat(directory.session("élodie")).isEmpty();
            assertThat(directory.members("#lobby")).isEmpty();
        }
    }
}
