package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.TestClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The plugin inside core's real server (dispatcher, ordering, QUIT), on the test kit's in-memory connections. */
@DisplayName("chat inside core's server")
class ServerWiringTest {
    @AutoClose
    private final ParleyTestKit kit = ParleyTestKit.builder().plugin(new ChatPlugin())
            .pluginConfig("chat", "history-page = 5").set("parley.server.name", "test").start();

    @Test
    @DisplayName("registration, data lines before the reply, and LEFT with the QUIT text")
    void conversation() {
        TestClient alice = kit.connect();
        TestClient bob = kit.connect();
        assertThat(alice.hello()).startsWith("HELLO test ");
        assertThat(bob.hello()).startsWith("HELLO test ");

        alice.send("JOIN #lobby");
        assertThat(alice.next()).startsWith("ERR JOIN NOT_REGISTERED");
        alice.send("@id=1 NICK alice");
        assertThat(alice.next()).isEqualTo("@id=1 OK NICK alice");
        bob.send("NICK bob");
        assertThat(bob.next()).isEqualTo("OK NICK bob");
        alice.send("JOIN #lobby");
        assertThat(alice.next()).isEqualTo("OK JOIN #lobby");
        bob.send("JOIN #Lobby");
        assertThat(bob.next()).isEqualTo("OK JOIN #lobby");
        assertThat(alice.next()).isEqualTo("JOINED #lobby bob");

        bob.send("SAY #lobby :héllo wörld ✓");
        assertThat(bob.next()).isEqualTo("OK SAY #lobby");
        assertThat(alice.next()).matches("@msgid=1;time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z "
                + "MSG #lobby bob :héllo wörld ✓");

        alice.send("WHO #lobby");
        assertThat(alice.next()).isEqualTo("MEMBER #lobby alice");
        assertThat(alice.next()).isEqualTo("MEMBER #lobby bob");
        assertThat(alice.next()).isEqualTo("OK WHO #lobby 2");

        bob.send("QUIT :see you");
        assertThat(bob.next()).isEqualTo("OK QUIT");
        assertThat(alice.next()).isEqualTo("LEFT #lobby bob :see you");
        alice.send("NICK BOB");
        assertThat(alice.next()).isEqualTo("OK NICK BOB");
    }
}
