package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A client that resets its connection is ordinary, not a fault of the server: nothing at ERROR and no stack
 * trace in the log (slf4j-simple writes to System.err, which this test captures; its level is INFO).
 */
@Isolated
class QuietResetTest {

    @Test
    @DisplayName("clients that reset their connections, idle or with answers on the way, log no ERROR and no stack trace")
    void resetsAreNotErrors() throws Exception {
        PrintStream before = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (TestServer server = TestServer.start()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (int i = 0; i < 20; i++) {
                LineClient client = server.connect().hello();
                client.send("ECHO before the reset\n");
                String line;
                while ((line = client.readLine()).startsWith("NOISE ")) {
                    // an earlier client's FLOOD, still going out to everyone
                }
                assertThat(line).isEqualTo("OK ECHO before the reset");
                if (i % 2 == 1) {
                    client.send("FLOOD 2000 1000\n"); // the server is still writing when the reset arrives
                }
                client.reset();
            }
            TestServer.await("every reset connection is closed", () -> server.transport.connectionCount() == 0);
            try (LineClient other = server.connect().hello()) {
                other.send("ECHO still serving\n");
                String line;
                while ((line = other.readLine()).startsWith("NOISE ")) {
                    // see above
                }
                assertThat(line).isEqualTo("OK ECHO still serving");
            }
        } finally {
            System.setErr(before);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("ERROR").doesNotContain("\tat ").doesNotContain("Exception occured");
    }
}
