package dev.parley.launcher.client.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.launcher.client.RawClient;
import dev.parley.launcher.client.TcpProxy;
import dev.parley.launcher.client.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconnectingLinkTest {
    @TempDir
    Path spool;

    private TestServer server;
    private TcpProxy proxy;
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
        public void reconnecting(ConnectionException cause, int attempt, java.time.Duration delay) {
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
             ResumingLink alice = ResumingLink.open("127.0.0.1", proxy.port(), Duration.ofSeconds(5),
                     Duration.ofSeconds(20), listener)) {
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
    @DisplayName("without a registered session there is nothing to resume: the link ends with the cause")
    void unregisteredEnds() throws Exception {
        ResumingLink link = ResumingLink.open("127.0.0.1", proxy.port(), Duration.ofSeconds(5),
                Duration.ofSeconds(20), listener);
        proxy.cut();
        assertThat(closed.get(10, TimeUnit.SECONDS)).hasMessage("the server at 127.0.0.1:" + proxy.port()
                + " closed the connection");
        assertThat(reconnecting).isNotDone();
        assertThat(link.isOpen()).isFalse();
    }
}
