package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A server that resets the connection is ordinary for a client (a restart, a proxy going away): MinaClient tells
 * its listener why, and the log gets no ERROR and no stack trace (slf4j-simple writes to System.err, which this
 * test captures; its level is INFO).
 */
@Isolated
@Timeout(60)
class QuietClientResetTest {

    @Test
    @DisplayName("a server that resets the connection, idle or while it sends: the listener hears of the reset, the log has no ERROR")
    void resetByTheServerIsNotAnError() throws Exception {
        PrintStream before = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (int i = 0; i < 10; i++) {
                RecordingListener listener = new RecordingListener();
                MinaClient client = MinaClient.connect("127.0.0.1", listening.getLocalPort(), Duration.ofSeconds(5),
                        listener);
                try (Socket accepted = listening.accept()) {
                    accepted.getOutputStream().write("HELLO parley 1 test\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(listener.next().verb()).isEqualTo("HELLO");
                    if (i % 2 == 1) {
                        // The client is writing when the reset arrives.
                        for (int j = 0; j < 200; j++) {
                            client.send(dev.parley.core.protocol.Frame.of("ECHO").trailing("x".repeat(1000)).build());
                        }
                    }
                    accepted.setSoLinger(true, 0); // close with RST rather than FIN
                }
                Optional<Throwable> cause = listener.awaitDisconnected();
                assertThat(cause).as("why the connection ended").get()
                        .satisfies(t -> assertThat(t).isInstanceOf(IOException.class));
                client.close();
            }
        } finally {
            System.setErr(before);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("ERROR").doesNotContain("\tat ").doesNotContain("Exception occured");
    }
}
