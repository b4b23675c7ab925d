package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.server.CoreSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Floods, slow consumers and connection storms against the real core over loopback. */
@DisplayName("the server under load")
@Timeout(120)
class LoadTest {

    private static void closeAll(List<? extends AutoCloseable> all) throws Exception {
        for (AutoCloseable c : all) {
            c.close();
        }
    }

    @Nested
    @DisplayName("command rate limit (50/s, burst 100)")
    class RateLimit {

        @Test
        @DisplayName("5000 commands at once: most are RATE_LIMITED, each answered in order; another client is served")
        void floodIsRateLimited() throws Exception {
            CoreSettings core = new CoreSettings("parley", 4, 256, 1 << 20, 50, 100, 0);
            try (TestServer server = TestServer.start(core, TestServer.settings(100, 4 * 1024 * 1024));
                 LineClient flooder = server.connect().hello();
                 LineClient other = server.connect().hello()) {
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 5000; i++) {
                    batch.append("@id=").append(i).append(" SHOUT ").append(i).append(" :spam\n");
                }
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        flooder.send(batch.toString());
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                long worst = 0;
                int noise = 0;
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    other.send("ECHO ping" + i + "\n");
                    String line;
                    while (!(line = other.readLine()).startsWith("OK ECHO")) {
                        noise++; // the shouts that got through
                    }
                    assertThat(line).isEqualTo("OK ECHO ping" + i);
                    worst = Math.max(worst, System.nanoTime() - start);
                }
                System.out.printf("another client's ECHO during a 5000-command flood: worst %.1f ms%n", worst / 1e6);

                int ok = 0;
                int limited = 0;
                for (int i = 0; i < 5000; i++) {
                    String reply = flooder.readLine();
                    assertThat(reply).startsWith("@id=" + i + " ");
                    if (reply.contains(" ERR SHOUT RATE_LIMITED :")) {
                        limited++;
                    } else {
                        assertThat(reply).isEqualTo("@id=" + i + " OK SHOUT");
                        ok++;
                    }
                }
                sent.get(10, TimeUnit.SECONDS);
                System.out.printf("5000 SHOUTs at 50/s burst 100: %d run, %d RATE_LIMITED%n", ok, limited);
                assertThat(ok).isBetween(100, 1000);
                assertThat(limited).isEqualTo(5000 - ok).isGreaterThan(4000);
                assertThat(noise).isLessThanOrEqualTo(ok);
            }
        }

        @Test
        @DisplayName("a client that keeps flooding reads BYE FLOOD and is closed; others go on")
        void floodDisconnect() throws Exception {
            CoreSettings core = new CoreSettings("parley", 4, 1000, 1 << 20, 50, 100, 200);
            try (TestServer server = TestServer.start(core, TestServer.settings(100, 4 * 1024 * 1024));
                 LineClient flooder = server.connect().hello();
                 LineClient other = server.connect().hello()) {
                // Few enough bytes for the server to have read them all when it closes: unread input would make
                // the kernel answer the close with a reset, which may overtake the BYE at the client.
                flooder.send("ECHO x\n".repeat(400));
                String line;
                String last = null;
                int limited = 0;
                while ((line = flooder.readLine()) != null) {
                    if (line.startsWith("ERR ECHO RATE_LIMITED")) {
                        limited++;
                    }
                    last = line;
                }
                assertThat(last).startsWith("BYE FLOOD :");
                assertThat(limited).isBetween(200, 300);
                other.send("ECHO fine\n");
                assertThat(other.readLine()).isEqualTo("OK ECHO fine");
            }
        }
    }

    @Test
    @DisplayName("a member that never reads is cut off with BYE SLOW_CONSUMER while a fast one gets all 20,000 1 kB events")
    void slowConsumerAmongFastOnes() throws Exception {
        try (TestServer server = TestServer.start(100, 4 * 1024 * 1024);
             LineClient stalled = new LineClient(server.address, 4096).hello();
             LineClient fast = server.connect().hello();
             LineClient sender = server.connect().hello()) {
            TestServer.await("all three are connected", () -> server.transport.connectionCount() == 3);
            String text = "m".repeat(1000);
            // Windows of 200 messages: the sender sends them, the fast member reads them, then the next window.
            // Nothing paces fan-out to the members (a server cannot wait for its slowest reader), so "fast"
            // means keeping up with the flow; the stalled member falls 20 MB behind and is cut off.
            for (int window = 0; window < 20_000; window += 200) {
                StringBuilder batch = new StringBuilder();
                for (int i = window; i < window + 200; i++) {
                    batch.append("SHOUT ").append(i).append(" :").append(text).append('\n');
                }
                sender.send(batch.toString());
                for (int i = window; i < window + 200; i++) {
                    assertThat(fast.readLine()).isEqualTo("NOISE " + i + " :" + text);
                }
                for (int i = 0; i < 200; i++) {
                    assertThat(sender.readLine()).isEqualTo("OK SHOUT");
                }
            }

            String line;
            String last = null;
            int received = 0;
            while ((line = stalled.readLine()) != null) {
                received++;
                last = line;
            }
            assertThat(last).startsWith("BYE SLOW_CONSUMER :");
            assertThat(received).isLessThan(20_000);
            TestServer.await("the stalled member is gone", () -> server.transport.connectionCount() == 2);
        }
    }

    @Test
    @DisplayName("max-connections-per-address = 3: the 4th from one address reads BYE TOO_MANY_CONNECTIONS, another address is served")
    void perAddressLimit() throws Exception {
        TransportSettings settings = TestServer.settings(100, 1 << 20).withConnectionLimits(3, Duration.ZERO);
        try (TestServer server = TestServer.start(new CoreSettings("parley", 2, 64), settings)) {
            List<LineClient> three = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    three.add(server.connect().hello());
                }
                try (LineClient fourth = server.connect()) {
                    assertThat(fourth.readLine()).startsWith("BYE TOO_MANY_CONNECTIONS :");
                    fourth.expectClosed();
                }
                assertThat(server.transport.connectionCount(InetAddress.getByName("127.0.0.1"))).isEqualTo(3);
                try (LineClient elsewhere = fromAddress(server, "127.0.0.2")) {
                    elsewhere.hello().send("ECHO in\n");
                    assertThat(elsewhere.readLine()).isEqualTo("OK ECHO in");
                }
                three.get(0).send("QUIT\n");
                assertThat(three.get(0).readLine()).isEqualTo("OK QUIT");
                TestServer.await("a slot of 127.0.0.1 is free", () -> server.transport.connectionCount() == 2);
                try (LineClient again = server.connect()) {
                    again.hello();
                }
            } finally {
                closeAll(three);
            }
        }
    }

    private static LineClient fromAddress(TestServer server, String local) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(server.address, (int) TestServer.TIMEOUT.toMillis());
        return new LineClient(socket);
    }

    @Test
    @DisplayName("handshake-timeout: a connection that sends no line reads BYE TIMEOUT; one that talks stays")
    void handshakeTimeout() throws Exception {
        TransportSettings settings = TestServer.settings(100, 1 << 20).withConnectionLimits(0, Duration.ofMillis(300));
        try (TestServer server = TestServer.start(new CoreSettings("parley", 2, 64), settings);
             LineClient idle = server.connect().hello();
             LineClient talking = server.connect().hello()) {
            talking.send("ECHO hi\n");
            assertThat(talking.readLine()).isEqualTo("OK ECHO hi");
            assertThat(idle.readLine()).startsWith("BYE TIMEOUT :");
            idle.expectClosed();
            Thread.sleep(400); // past the timeout: the talking one must not be cut off
            talking.send("ECHO still\n");
            assertThat(talking.readLine()).isEqualTo("OK ECHO still");
        }
    }

    @Test
    @DisplayName("a storm of 2000 connects and hang-ups plus 200 idle sockets: a new client is answered promptly")
    void connectionStorm() throws Exception {
        TransportSettings settings = TestServer.settings(10_000, 1 << 20).withConnectionLimits(0, Duration.ofSeconds(4));
        try (TestServer server = TestServer.start(new CoreSettings("parley", 2, 64), settings)) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 2000; i++) {
                    Socket s = new Socket();
                    s.setSoLinger(true, 0); // reset, like a client that vanishes
                    s.connect(server.address, 5000);
                    s.close();
                }
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket();
                    s.connect(server.address, 5000);
                    idle.add(s);
                }
                long start = System.nanoTime();
                try (LineClient c = server.connect().hello()) {
                    c.send("ECHO alive\n");
                    assertThat(c.readLine()).isEqualTo("OK ECHO alive");
                }
                System.out.printf("HELLO and a reply after a 2000-connection storm: %.1f ms%n",
                        (System.nanoTime() - start) / 1e6);
                TestServer.await("the idle sockets are closed by the handshake timeout",
                        () -> server.transport.connectionCount() == 0);
            } finally {
                closeAll(idle);
            }
        }
    }
}
