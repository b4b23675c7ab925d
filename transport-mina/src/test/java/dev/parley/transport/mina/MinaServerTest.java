package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("MinaServer with the real core over loopback")
@Timeout(60)
class MinaServerTest {

    @Nested
    @DisplayName("with default limits")
    class Defaults {
        private TestServer server;

        @BeforeEach
        void start() throws IOException {
            server = TestServer.start();
        }

        @AfterEach
        void stop() {
            server.close();
        }

        @Test
        @DisplayName("HELLO is the first line")
        void helloFirst() throws IOException {
            try (LineClient c = server.connect()) {
                assertThat(c.readLine()).isEqualTo("HELLO parley 1 test :test");
            }
        }

        @Test
        @DisplayName("HELP lists a COMMAND line per command, then OK HELP <count>")
        void help() throws IOException {
            try (LineClient c = server.connect().hello()) {
                c.send("HELP\n");
                List<String> commands = new ArrayList<>();
                String line;
                while ((line = c.readLine()).startsWith("COMMAND ")) {
                    commands.add(line);
                }
                assertThat(line).isEqualTo("OK HELP " + commands.size());
                assertThat(commands).extracting(l -> l.split(" ")[1])
                        .containsExactly("BOOM", "ECHO", "FLOOD", "HELP", "KEPT", "LOGGED", "QUIT", "SHOUT", "SLOW");
            }
        }

        @Test
        @DisplayName("a client that shuts down its sending side gets the replies to all it sent, then the server closes")
        void halfCloseIsAnsweredThenClosed() throws IOException {
            try (LineClient c = server.connect().hello()) {
                c.send("ECHO one\nSLOW two\nECHO three\n").shutdownOutput();
                assertThat(new String(c.readToEnd(), StandardCharsets.UTF_8).split("\n"))
                        .containsExactly("OK ECHO one", "OK SLOW two", "OK ECHO three");
            }
        }

        @Test
        @DisplayName("an unknown verb is answered ERR <VERB> UNKNOWN_COMMAND")
        void unknownCommand() throws IOException {
            try (LineClient c = server.connect().hello()) {
                c.send("FROBNICATE now\n");
                assertThat(c.readLine()).startsWith("ERR FROBNICATE UNKNOWN_COMMAND :");
            }
        }

        @Test
        @DisplayName("the final reply carries the command's id tag")
        void idTag() throws IOException {
            try (LineClient c = server.connect().hello()) {
                c.send("@id=x7 HELP\n");
                String line;
                do {
                    line = c.readLine();
                } while (line.startsWith("COMMAND "));
                assertThat(line).matches("@id=x7 OK HELP \\d+");
            }
        }

        @Test
        @DisplayName("lower-case verbs and CRLF line ends are accepted")
        void lowerCaseAndCrlf() throws IOException {
            try (LineClient c = server.connect().hello()) {
                c.send("echo a b :with spaces\r\n");
                assertThat(c.readLine()).isEqualTo("OK ECHO a b :with spaces");
            }
        }

        @Test
        @DisplayName("200 commands written at once, sync and async mixed, are answered in order")
        void pipelinedInOrder() throws IOException {
            Random random = new Random(42);
            StringBuilder batch = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String verb = random.nextBoolean() ? "SLOW" : "ECHO";
                batch.append(verb).append(' ').append(i).append('\n');
                expected.add("OK " + verb + " " + i);
            }
            try (LineClient c = server.connect().hello()) {
                c.send(batch.toString());
                List<String> replies = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    replies.add(c.readLine());
                }
                assertThat(replies).containsExactlyElementsOf(expected);
            }
        }

        @Test
        @DisplayName("a 200 kB line is answered ERR * LINE_TOO_LONG and the next command works")
        void lineTooLong() throws IOException {
            try (LineClient c = server.connect().hello()) {
                c.send("ECHO " + "a".repeat(200_000) + "\nECHO after\n");
                assertThat(c.readLine()).isEqualTo("ERR * LINE_TOO_LONG :line longer than 4096 bytes discarded");
                assertThat(c.readLine()).isEqualTo("OK ECHO after");
            }
        }

        @Test
        @DisplayName("a payload goes through the server's decoder and back")
        void payloadRoundTrip() throws IOException {
            byte[] payload = {'x', '\n', (byte) 0xE2, 0, '\r'};
            try (LineClient c = server.connect().hello()) {
                byte[] head = "@size=5 ECHO p\n".getBytes(StandardCharsets.US_ASCII);
                c.sendRaw(head).sendRaw(payload).send("ECHO next\n");
                assertThat(c.readLine()).isEqualTo("@size=5 DATA");
                assertThat(c.readBytes(5)).containsExactly(payload);
                assertThat(c.readLine()).isEqualTo("OK ECHO p");
                assertThat(c.readLine()).isEqualTo("OK ECHO next");
            }
        }

        @Test
        @DisplayName("a payload over the limit: ERR * PAYLOAD_TOO_LARGE, BYE PROTOCOL, closed")
        void payloadTooLarge() throws IOException {
            try (LineClient c = server.connect().hello()) {
                c.send("@size=99999999 ECHO\n" + "junk\n".repeat(100));
                assertThat(c.readLine()).startsWith("ERR * PAYLOAD_TOO_LARGE :");
                assertThat(c.readLine()).startsWith("BYE PROTOCOL");
                c.expectClosed();
            }
        }

        @Test
        @DisplayName("a client still sending its oversized payload reads ERR, BYE PROTOCOL, then the end of the stream, not a reset")
        void payloadTooLargeWhileSending() throws Exception {
            try (LineClient c = server.connect().hello()) {
                c.send("@size=99999999 ECHO\n");
                // The payload keeps coming after the server gave up on it: closing with it unread used to reset
                // the connection, and the reset could destroy the BYE before the client read it.
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    byte[] junk = new byte[64 * 1024];
                    try {
                        for (int i = 0; i < 64; i++) {
                            c.sendRaw(junk);
                        }
                    } catch (IOException closedMeanwhile) {
                        // the server may close before all of it is sent; what matters is what the client reads
                    }
                });
                assertThat(c.readLine()).startsWith("ERR * PAYLOAD_TOO_LARGE :");
                assertThat(c.readLine()).startsWith("BYE PROTOCOL");
                assertThat(c.endsOrderly()).as("an orderly end of stream, not a reset").isTrue();
                sending.get(10, TimeUnit.SECONDS);
            }
        }

        @Test
        @DisplayName("a handler that throws gets ERR <VERB> INTERNAL and the session goes on")
        void handlerThrows() throws IOException {
            try (LineClient c = server.connect().hello()) {
                c.send("BOOM\nECHO still-here\n");
                assertThat(c.readLine()).startsWith("ERR BOOM INTERNAL");
                assertThat(c.readLine()).isEqualTo("OK ECHO still-here");
            }
        }

        @Test
        @DisplayName("QUIT is answered OK QUIT, then the server closes the socket")
        void quit() throws IOException, InterruptedException {
            try (LineClient c = server.connect().hello()) {
                TestServer.await("the connection counts", () -> server.transport.connectionCount() == 1);
                c.send("QUIT :bye now\n");
                assertThat(c.readLine()).isEqualTo("OK QUIT");
                c.expectClosed();
                TestServer.await("the slot is free", () -> server.transport.connectionCount() == 0);
            }
        }

        @Test
        @DisplayName("closing 100 sessions starts no thread per session, and their close deadlines go with them")
        void closesStartNoThreads() throws Exception {
            List<LineClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    clients.add(server.connect().hello());
                }
                TestServer.await("the connections count", () -> server.transport.connectionCount() == 100);
                int threadsBefore = anonymousThreadNumber();
                for (LineClient c : clients) {
                    c.send("QUIT\n"); // the server shuts its output and lingers, on a deadline, for our close
                }
                for (LineClient c : clients) {
                    assertThat(c.readLine()).isEqualTo("OK QUIT");
                    c.expectClosed();
                    c.close();
                }
                TestServer.await("the slots are free", () -> server.transport.connectionCount() == 0);
                TestServer.await("the deadlines are dropped", () -> CloseTimer.pending() == 0);
                // Past the linger deadline, when a deadline left behind would have fired.
                Thread.sleep(MinaConnection.LINGER.toMillis() + 500);
                int started = anonymousThreadNumber() - threadsBefore - 1;
                assertThat(started).as("unnamed threads made while 100 sessions closed").isLessThan(10);
            } finally {
                for (LineClient c : clients) {
                    c.close();
                }
            }
        }

        /**
         * The number the JDK gave the last unnamed thread ({@code Thread-N}), counting this call's. Each made
         * without a name takes the next, so two calls tell how many were made in between: the common pool's
         * stand-in on small machines, which made one per delayed close, makes them so.
         */
        private static int anonymousThreadNumber() {
            return Integer.parseInt(new Thread(() -> {}).getName().substring("Thread-".length()));
        }

        @Test
        @DisplayName("200 clients at once are all served")
        void manyClients() throws IOException {
            List<LineClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    clients.add(server.connect());
                }
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).send("SLOW client-" + i + "\n");
                }
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).hello();
                    assertThat(clients.get(i).readLine()).isEqualTo("OK SLOW client-" + i);
                }
                assertThat(server.transport.connectionCount()).isEqualTo(200);
            } finally {
                for (LineClient c : clients) {
                    c.close();
                }
            }
        }

        @Test
        @DisplayName("stopAccepting refuses new connections and keeps open ones")
        void stopAccepting() throws IOException {
            try (LineClient c = server.connect().hello()) {
                server.transport.stopAccepting();
                c.send("ECHO alive\n");
                assertThat(c.readLine()).isEqualTo("OK ECHO alive");
                assertThatThrownBy(server::connect)
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    @DisplayName("close() works before start(), and twice")
    void closeWithoutStart() throws IOException {
        MinaServer unstarted = new MinaServer(new TransportSettings("127.0.0.1", 0, 10, 4096, 1024, 4096, 1),
                connection -> {
                    throw new AssertionError("no connection expected");
                });
        unstarted.stopAccepting();
        unstarted.close();
        unstarted.close();
        assertThat(unstarted.connectionCount()).isZero();
    }

    @Nested
    @DisplayName("with max-connections = 3")
    class ConnectionLimit {

        @Test
        @DisplayName("the 4th reads BYE SERVER_FULL and is closed; once one leaves, a new one is served")
        void serverFull() throws IOException, InterruptedException {
            try (TestServer server = TestServer.start(3, 4 * 1024 * 1024);
                 LineClient c1 = server.connect().hello();
                 LineClient c2 = server.connect().hello();
                 LineClient c3 = server.connect().hello()) {
                try (LineClient c4 = server.connect()) {
                    assertThat(c4.readLine()).startsWith("BYE SERVER_FULL :");
                    c4.expectClosed();
                }
                assertThat(server.transport.connectionCount()).isEqualTo(3);
                assertThat(server.core.count()).as("core never heard of the refused one").isEqualTo(3);

                c1.send("QUIT\n");
                assertThat(c1.readLine()).isEqualTo("OK QUIT");
                TestServer.await("a slot is free", () -> server.transport.connectionCount() == 2);

                try (LineClient c5 = server.connect().hello()) {
                    c5.send("ECHO in\n");
                    assertThat(c5.readLine()).isEqualTo("OK ECHO in");
                }
                c2.send("ECHO unaffected\n");
                assertThat(c2.readLine()).isEqualTo("OK ECHO unaffected");
            }
        }
    }

    @Nested
    @DisplayName("with max-pending-bytes = 64 KiB")
    class SlowConsumer {

        @Test
        @DisplayName("a client that never reads is closed with BYE SLOW_CONSUMER; another is unaffected")
        void slowConsumerClosed() throws IOException, InterruptedException {
            try (TestServer server = TestServer.start(100, 64 * 1024);
                 LineClient stalled = new LineClient(server.address, 4096).hello();
                 LineClient active = server.connect().hello()) {
                TestServer.await("both are connected", () -> server.transport.connectionCount() == 2);

                active.send("FLOOD 16000 1000\n"); // 16 MB for the stalled client, far beyond socket buffers
                assertThat(active.readLine()).isEqualTo("OK FLOOD 16000");

                int noise = 0;
                String line;
                String last = null;
                while ((line = stalled.readLine()) != null) {
                    if (line.startsWith("NOISE ")) {
                        noise++;
                    }
                    last = line;
                }
                assertThat(last).startsWith("BYE SLOW_CONSUMER :");
                // What was queued is dropped at the cut-off: only what reached the socket before it arrives.
                assertThat(noise).isLessThan(16000);

                active.send("ECHO unaffected\n");
                assertThat(active.readLine()).isEqualTo("OK ECHO unaffected");
                TestServer.await("the stalled one is gone", () -> server.transport.connectionCount() == 1);
            }
        }
    }
}
