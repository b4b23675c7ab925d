package dev.parley.launcher.client.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Backoff;
import dev.parley.client.ConnectionException;
import dev.parley.client.ConnectionListener;
import dev.parley.client.ReconnectingLink;
import dev.parley.client.Reply;
import dev.parley.client.Tls;
import dev.parley.launcher.client.RawClient;
import dev.parley.launcher.client.TcpProxy;
import dev.parley.launcher.client.TestServer;
import dev.parley.core.protocol.Frame;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReconnectingLink} against a real server, through a proxy that can cut the line. */
class ReconnectingLinkTest {
    @TempDir
    Path spool;

    private TestServer server;
    private TcpProxy proxy;
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    private final BlockingQueue<Frame> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<ConnectionException> reconnecting = new CompletableFuture<>();
    private final CompletableFuture<Void> resumed = new CompletableFuture<>();
    private final CompletableFuture<ConnectionException> closed = new CompletableFuture<>();
    private final ConnectionListener listener = new ConnectionListener() {
        @Override
        public void event(Frame event) {
            events.add(event);
        }

        @Override
        public void reconnecting(ConnectionException cause, int attempt, Duration delay) {
            reconnecting.complete(cause);
        }

        @Override
        public void resumed() {
            resumed.complete(null);
        }

        @Override
        public void closed(ConnectionException cause) {
            closed.complete(cause);
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(spool);
        proxy = new TcpProxy(server.port());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        server.close();
    }

    private static Reply await(CompletableFuture<Reply> reply) throws Exception {
        return reply.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("a dropped connection is resumed: missed messages arrive, the session goes on, nobody saw it leave")
    void resumes() throws Exception {
        try (RawClient bob = RawClient.member(server.port(), "bob", "#lobby");
             ReconnectingLink alice = open(proxy.port(), 0)) {
            assertThat(await(alice.request(Frame.of("NICK").param("alice").build())).ok()).isTrue();
            assertThat(await(alice.request(Frame.of("JOIN").param("#lobby").build())).ok()).isTrue();
            bob.await(line -> line.contains("JOINED #lobby alice"));

            proxy.cut();
            assertThat(reconnecting.get(10, TimeUnit.SECONDS)).isNotNull();
            bob.send("SAY #lobby :while you were away");
            bob.await(line -> line.startsWith("OK SAY"));
            resumed.get(20, TimeUnit.SECONDS);

            Frame missed = events.poll(10, TimeUnit.SECONDS);
            assertThat(missed).isNotNull();
            assertThat(missed.trailing()).isEqualTo("while you were away");
            assertThat(await(alice.request(Frame.of("SAY").param("#lobby").trailing("back").build())).ok()).isTrue();
            assertThat(bob.await(line -> line.contains(" MSG ") || line.contains("LEFT")))
                    .endsWith("MSG #lobby alice :back");
            assertThat(closed).isNotDone();
        }
    }

    @Test
    @DisplayName("on a server that requires authentication, the link logs in again before it resumes")
    void logsInAgainBeforeResuming() throws Exception {
        proxy.close();
        server.close();
        server = TestServer.start(spool, java.util.Map.of("parley.plugins", "[chat, filetransfer, heartbeat, auth]",
                "parley.auth.registration", "open", "parley.auth.required", "true"));
        proxy = new TcpProxy(server.port());
        try (RawClient creator = new RawClient(server.port())) {
            creator.send("REGISTER alice :a long passphrase");
            assertThat(creator.await(line -> line.startsWith("OK") || line.startsWith("ERR")))
                    .isEqualTo("OK REGISTER alice");
        }
        try (RawClient bob = new RawClient(server.port());
             ReconnectingLink alice = open(proxy.port(), 0)) {
            bob.send("REGISTER bob :a long passphrase");
            bob.send("NICK bob");
            bob.send("JOIN #lobby");
            bob.await(line -> line.startsWith("OK JOIN"));
            assertThat(await(alice.request(Frame.of("AUTH").param("alice").trailing("a long passphrase").build())).ok())
                    .isTrue();
            assertThat(await(alice.request(Frame.of("NICK").param("alice").build())).ok()).isTrue();
            assertThat(await(alice.request(Frame.of("JOIN").param("#lobby").build())).ok()).isTrue();

            proxy.cut();
            resumed.get(20, TimeUnit.SECONDS);
            assertThat(await(alice.request(Frame.of("SAY").param("#lobby").trailing("still me").build())).ok()).isTrue();
            assertThat(bob.await(line -> line.contains(" MSG ") || line.contains("LEFT")))
                    .endsWith("MSG #lobby alice :still me");
            assertThat(closed).isNotDone();
        }
    }

    @Test
    @DisplayName("when its server is gone for good, the link reconnects to a --fallback server and resumes there")
    void fallsBack() throws Exception {
        try (RawClient bob = RawClient.member(server.port(), "bob", "#lobby");
             ReconnectingLink alice = ReconnectingLink.open("127.0.0.1", proxy.port(),
                     List.of(java.net.InetSocketAddress.createUnresolved("127.0.0.1", server.port())), Tls.none(),
                     Duration.ofSeconds(5), null, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 0),
                     listener)) {
            assertThat(await(alice.request(Frame.of("NICK").param("alice").build())).ok()).isTrue();
            assertThat(await(alice.request(Frame.of("JOIN").param("#lobby").build())).ok()).isTrue();
            bob.await(line -> line.contains("JOINED #lobby alice"));

            proxy.close(); // the address alice used refuses connections from now on
            assertThat(reconnecting.get(10, TimeUnit.SECONDS)).isNotNull();
            resumed.get(20, TimeUnit.SECONDS);
            assertThat(await(alice.request(Frame.of("SAY").param("#lobby").trailing("via the fallback").build())).ok())
                    .isTrue();
            assertThat(bob.await(line -> line.contains(" MSG ") || line.contains("LEFT")))
                    .endsWith("MSG #lobby alice :via the fallback");
        }
    }

    @Test
    @DisplayName("a command the server ends with BYE PROTOCOL gets its ERR and is not sent again; the link goes on")
    void protocolViolationIsNotResent() throws Exception {
        try (ReconnectingLink link = open(proxy.port(), 0)) {
            assertThat(await(link.request(Frame.of("NICK").param("oversize").build())).ok()).isTrue();
            Reply refused = await(link.request(Frame.of("NOTE").payload(new byte[(1 << 20) + 1]).build()));
            assertThat(refused.ok()).isFalse();
            assertThat(refused.code()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(reconnecting.get(10, TimeUnit.SECONDS).byeCode()).isEqualTo("PROTOCOL");
            // BYE PROTOCOL ends the session, so the link registers the nick anew; the PING waits for that.
            assertThat(await(link.request(Frame.of("PING").param("after").build())).results()).containsExactly("after");
            Thread.sleep(500); // a resent oversized command would break the new connection within this
            assertThat(link.isReconnecting()).isFalse();
            assertThat(closed).isNotDone();
        }
    }

    @Test
    @DisplayName("without a registered session a cut link just connects again, and works")
    void unregisteredReconnects() throws Exception {
        try (ReconnectingLink link = open(proxy.port(), 0)) {
            proxy.cut();
            assertThat(reconnecting.get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(await(link.request(Frame.of("NICK").param("late").build())).ok()).isTrue();
            assertThat(closed).isNotDone();
        }
    }

    @Test
    @DisplayName("with --reconnect-attempts 2 a server that stays away ends the link after the second attempt")
    void givesUp() throws Exception {
        ReconnectingLink link = open(proxy.port(), 2);
        await(link.request(Frame.of("NICK").param("alice").build()));
        proxy.close();
        assertThat(closed.get(10, TimeUnit.SECONDS).getMessage())
                .startsWith("lost the connection to 127.0.0.1:" + proxy.port()
                        + " and gave up after 2 attempts to reconnect: cannot connect to");
        assertThat(link.isOpen()).isFalse();
        assertThat(link.request(Frame.of("PING").build())).failsWithin(Duration.ofSeconds(1));
    }

    @Test
    @DisplayName("while the server is away, commands queue in order up to the bound; one more fails at once")
    void queueIsBounded() throws Exception {
        try (ReconnectingLink link = open(proxy.port(), 0)) {
            await(link.request(Frame.of("NICK").param("alice").build()));
            proxy.close();
            reconnecting.get(10, TimeUnit.SECONDS);
            List<CompletableFuture<Reply>> queued = new ArrayList<>();
            for (int i = 0; i < ReconnectingLink.MAX_QUEUED; i++) {
                queued.add(link.request(Frame.of("PING").param("p" + i).build()));
            }
            CompletableFuture<Reply> oneMore = link.request(Frame.of("PING").build());
            assertThat(oneMore).isCompletedExceptionally();
            assertThat(oneMore.handle((r, e) -> e.getMessage()).join())
                    .contains(ReconnectingLink.MAX_QUEUED + " commands are already waiting");
            assertThat(queued).noneMatch(CompletableFuture::isDone);
        }
    }

    @Test
    @DisplayName("a server that goes silent is pinged, then taken for dead after the read timeout")
    void readTimeout() throws Exception {
        try (ServerSocket mute = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try (Socket socket = mute.accept()) {
                    socket.getOutputStream().write("HELLO mute 1 0 :chat\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.UTF_8));
                    for (String line; (line = in.readLine()) != null; ) {
                        heard.add(line);
                    }
                } catch (IOException e) {
                    // the client hung up
                }
            }, "mute-server");
            acceptor.setDaemon(true);
            acceptor.start();
            ReconnectingLink link = ReconnectingLink.open("127.0.0.1", mute.getLocalPort(), Duration.ofSeconds(1),
                    Duration.ofMillis(600), new Backoff(Duration.ofMillis(20), Duration.ofMillis(20), 1), listener);
            assertThat(reconnecting.get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("(read timeout); the connection is taken for dead");
            assertThat(heard.poll(5, TimeUnit.SECONDS)).matches("@id=c\\d+ PING");
            closed.get(10, TimeUnit.SECONDS);
            link.close();
        }
    }

    @Test
    @DisplayName("a server that greets and hangs up at once uses up the attempts instead of looping for ever")
    void flappingServerCountsAttempts() throws Exception {
        try (ServerSocket rude = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try (Socket socket = rude.accept()) {
                        socket.getOutputStream().write("HELLO rude 1 0 :chat\n".getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                    } catch (IOException e) {
                        return; // the test is over
                    }
                }
            }, "rude-server");
            acceptor.setDaemon(true);
            acceptor.start();
            ReconnectingLink.open("127.0.0.1", rude.getLocalPort(), Duration.ofSeconds(1), null,
                    new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 3), listener);
            assertThat(closed.get(10, TimeUnit.SECONDS)).hasMessageStartingWith("lost the connection to 127.0.0.1:"
                    + rude.getLocalPort() + " and gave up after 3 attempts to reconnect");
        }
    }

    private ReconnectingLink open(int port, int attempts) throws ConnectionException {
        return ReconnectingLink.open("127.0.0.1", port, Duration.ofSeconds(5), null,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), attempts), listener);
    }
}
