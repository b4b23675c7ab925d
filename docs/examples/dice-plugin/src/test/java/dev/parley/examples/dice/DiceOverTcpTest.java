package dev.parley.examples.dice;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.testkit.EmbeddedServer;
import dev.parley.testkit.LineClient;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The plugin behind the real transport on a free port: what a client with a socket sees. */
class DiceOverTcpTest {

    @Test
    @DisplayName("ROLL works over TCP, with the configuration given to the server")
    void overTcp() throws IOException {
        try (EmbeddedServer server = EmbeddedServer.start(ConfigFactory.parseString("parley.dice.max-dice = 3"),
                new DicePlugin());
             LineClient client = server.connect()) {
            assertThat(client.hello()).endsWith(":dice");
            assertThat(client.send("ROLL 3d6").reply()).matches("OK ROLL \\d+ :\\d \\d \\d");
            assertThat(client.send("ROLL 4d6").reply()).isEqualTo(
                    "ERR ROLL BAD_SYNTAX :use ROLL <N>d<M> [#room], 1 <= N <= 3, 2 <= M <= 1000");
        }
    }
}
