package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.chat.ChatHarness.Client;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.Session;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the chat's Directory offers other plugins about rooms (SPI 1.3). */
class DirectoryRoomsTest {
    private final ChatHarness chat = new ChatHarness();

    /** Records every notification as a line. */
    private static final class Recorder implements Directory.RoomListener {
        final List<String> heard = new CopyOnWriteArrayList<>();

        @Override
        public void joined(String room, Session session) {
            heard.add("joined " + room + " " + session.name().orElse("?"));
        }

        @Override
        public void parted(String room, Session session) {
            heard.add("parted " + room + " " + session.name().orElse("?"));
        }

        @Override
        public void emptied(String room) {
            heard.add("emptied " + room);
        }
    }

    @Test
    @DisplayName("a room's display name is found from any spelling of it; an unknown room has none")
    void displayName() {
        chat.registered("alice").ok("JOIN #Lobby");
        assertThat(chat.directory().displayName("#LOBBY")).contains("#Lobby");
        assertThat(chat.directory().displayName("#nowhere")).isEmpty();
    }

    @Test
    @DisplayName("listeners hear joins, parts (PART, session end) and the room emptying, in order")
    void listeners() {
        Recorder recorder = new Recorder();
        assertThat(chat.directory().addRoomListener(recorder)).isTrue();
        Client alice = chat.registered("alice");
        Client bob = chat.registered("bob");
        alice.ok("JOIN #Lobby");
        bob.ok("JOIN #lobby");
        alice.ok("JOIN #lobby"); // already a member: nothing new
        alice.ok("PART #lobby");
        bob.end("connection lost");
        assertThat(recorder.heard).containsExactly("joined #Lobby alice", "joined #Lobby bob", "parted #Lobby alice",
                "parted #Lobby bob", "emptied #Lobby");
    }

    @Test
    @DisplayName("a listener that throws is logged and does not undo the JOIN")
    void throwingListener() {
        chat.directory().addRoomListener(new Directory.RoomListener() {
            @Override
            public void joined(String room, Session session) {
                throw new IllegalStateException("listener bug");
            }
        });
        Client alice = chat.registered("alice");
        assertThat(alice.send("JOIN #lobby").line()).startsWith("OK JOIN");
        assertThat(chat.directory().isMember("#lobby", alice.session())).isTrue();
    }
}
