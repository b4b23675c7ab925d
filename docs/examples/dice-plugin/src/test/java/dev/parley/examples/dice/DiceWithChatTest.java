package dev.parley.examples.dice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.TestClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** With the real chat plugin: nicks and rooms come from NICK and JOIN, and its Directory. */
class DiceWithChatTest {

    @AutoClose
    private final ParleyTestKit kit = ParleyTestKit.builder()
            .plugin("chat")                       // found by name: chat does not export its classes
            .plugin(new DicePlugin(sides -> 1))
            .start();

    @Test
    @DisplayName("a roll for a room reaches the members chat knows, after the JOIN events")
    void room() {
        TestClient alice = kit.connect();
        TestClient bob = kit.connect();
        assertThat(alice.send("NICK alice").reply()).startsWith("OK NICK");
        assertThat(bob.send("NICK bob").reply()).startsWith("OK NICK");
        assertThat(alice.send("ROLL 2d6 #games").reply()).startsWith("ERR ROLL NOT_IN_ROOM");
        assertThat(alice.send("JOIN #games").reply()).startsWith("OK JOIN");
        assertThat(bob.send("JOIN #games").reply()).startsWith("OK JOIN");
        assertThat(alice.send("ROLL 2d6 #games").reply()).isEqualTo("OK ROLL 2 :1 1");
        assertThat(bob.command("PART #games").lines()).contains("ROLLED #games alice 2d6 2 :1 1");
    }
}
