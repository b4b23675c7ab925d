package dev.parley.launcher.client.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.ConnectionException;
import dev.parley.client.ConnectionListener;
import dev.parley.client.DataLines;
import dev.parley.client.ParleyConnection;
import dev.parley.client.Reply;
import dev.parley.launcher.client.RawClient;
import dev.parley.launcher.client.TestServer;
import dev.parley.core.protocol.Frame;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParleyConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path spool;

    private TestServer server;
    private final BlockingQueue<Frame> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<ConnectionException> closed = new CompletableFuture<>();
    private final ConnectionListener listener = new ConnectionListener() {
        @Override
        public void event(Frame event) {
            events.add(event);
        }

        @Override
        public void closed(ConnectionException cause) {
            closed.complete(cause);
        }
    };

    @BeforeEach
    void startServer() throws IOException {
        server = TestServer.start(spool);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private ParleyConnection open() throws ConnectionException {
        return ParleyConnection.open("127.0.0.1", server.port(), TIMEOUT, listener);
    }

    /** Runs a fake server's side on a thread of its own (the common pool may have one thread only). */
    private static <T> CompletableFuture<T> onThread(java.util.function.Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "fake-server");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static Reply await(CompletableFuture<Reply> reply) throws Exception {
        return reply.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("reads the HELLO: server name and plugins")
    void hello() throws Exception {
        try (ParleyConnection connection = open()) {
            assertThat(connection.hello().protocolVersion()).isEqualTo("1");
            assertThat(connection.hello().plugins()).containsExactly("chat", "filetransfer", "heartbeat");
        }
    }

    @Test
    @DisplayName("pipelined commands each get their own reply, data lines included")
    void pipelined() throws Exception {
        try (ParleyConnection connection = open(); RawClient bob = RawClient.member(server.port(), "bob", "#lobby")) {
            CompletableFuture<Reply> nick = connection.request(Frame.of("NICK").param("alice").build());
            CompletableFuture<Reply> join = connection.request(Frame.of("JOIN").param("#lobby").build());
            CompletableFuture<Reply> who = connection.request(Frame.of("WHO").param("#lobby").build(),
                    DataLines.verbs("MEMBER"));
            CompletableFuture<Reply> part = connection.request(Frame.of("PART").param("#nope").build());
            assertThat(await(part).ok()).isFalse();
            assertThat(await(nick).frame().toString()).startsWith("@id=c1 OK NICK alice");
            assertThat(await(join).results()).containsExactly("#lobby");
            assertThat(await(who).results()).containsExactly("#lobby", "2");
            assertThat(await(who).data()).extracting(member -> member.param(1)).containsExactly("bob", "alice");
            assertThat(await(part).code()).isEqualTo("NOT_IN_ROOM");
            assertThat(await(part).sentence()).startsWith("You are not in #nope").endsWith("(NOT_IN_ROOM)");
        }
    }

    @Test
    @DisplayName("what answers no command goes to the listener, not to a reply")
    void events() throws Exception {
        try (ParleyConnection connection = open(); RawClient bob = RawClient.member(server.port(), "bob", "#lobby")) {
            await(connection.request(Frame.of("NICK").param("alice").build()));
            await(connection.request(Frame.of("JOIN").param("#lobby").build()));
            bob.await(line -> line.contains("JOINED #lobby alice"));
            bob.send("SAY #lobby :hi alice");
            bob.send("TELL alice :psst");
            Frame msg = events.poll(10, TimeUnit.SECONDS);
            assertThat(msg).isNotNull();
            assertThat(msg.verb()).isEqualTo("MSG");
            assertThat(msg.trailing()).isEqualTo("hi alice");
            assertThat(events.poll(10, TimeUnit.SECONDS).verb()).isEqualTo("WHISPER");
        }
    }

    @Test
    @DisplayName("an unparseable line is answered ERR * and matched by order")
    void errStarMatchedByOrder() throws Exception {
        try (ParleyConnection connection = open()) {
            // A verb the grammar refuses cannot be built as a Frame; a size tag that is no number can.
            CompletableFuture<Reply> bad = connection.request(Frame.of("SAY").tag("size", "x").build());
            CompletableFuture<Reply> next = connection.request(Frame.of("ROOMS").build(), DataLines.verbs("ROOM"));
            assertThat(await(bad).frame().verb()).isEqualTo("ERR");
            assertThat(await(bad).frame().param(0)).isEqualTo("*");
            assertThat(await(next).code()).isEqualTo("NOT_REGISTERED");
        }
    }

    @Test
    @DisplayName("QUIT waits for the replies before it and ends without a cause")
    void quit() throws Exception {
        ParleyConnection connection = open();
        CompletableFuture<Reply> nick = connection.request(Frame.of("NICK").param("alice").build());
        connection.quit("bye", TIMEOUT);
        assertThat(nick).isCompleted();
        assertThat(connection.closed().get(10, TimeUnit.SECONDS)).isNull();
        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(() -> connection.request(Frame.of("ROOMS").build()).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ConnectionException.class);
    }

    @Test
    @DisplayName("a server shutdown fails unanswered commands and tells the listener why")
    void shutdown() throws Exception {
        ParleyConnection connection = open();
        await(connection.request(Frame.of("NICK").param("alice").build()));
        server.close();
        ConnectionException cause = closed.get(10, TimeUnit.SECONDS);
        assertThat(cause).hasMessage("the server at 127.0.0.1:" + server.port()
                + " closed the connection: the server is shutting down [SHUTDOWN]");
    }

    @Test
    @DisplayName("the heartbeat's PING is answered with PONG at once and not passed on as an event")
    void answersPing() throws Exception {
        try (ServerSocket fake = new ServerSocket(0)) {
            CompletableFuture<String> pong = onThread(() -> {
                try (Socket s = fake.accept()) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("HELLO fake 1 0 :heartbeat\n@seq=4 PING t0k\n"
                            .getBytes(StandardCharsets.UTF_8));
                    String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8)).readLine();
                    s.getOutputStream().write("@id=c1 OK PONG\n".getBytes(StandardCharsets.UTF_8));
                    return line;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (ParleyConnection connection = ParleyConnection.open("127.0.0.1", fake.getLocalPort(), TIMEOUT,
                    listener)) {
                assertThat(pong.get(10, TimeUnit.SECONDS)).isEqualTo("@id=c1 PONG t0k");
                assertThat(connection.lastSeq()).isEqualTo(4);
                assertThat(events).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a refused connection is a sentence with the remedy")
    void refused() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThatThrownBy(() -> ParleyConnection.open("127.0.0.1", port, TIMEOUT, listener))
                .isInstanceOf(ConnectionException.class)
                .hasMessage("cannot connect to 127.0.0.1:" + port
                        + ": Connection refused — is the server running? Start it with 'parley server'.");
    }

    @Test
    @DisplayName("a server that never says HELLO is not taken for a Parley server")
    void noHello() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            CompletableFuture<Socket> accepted = onThread(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThatThrownBy(() -> ParleyConnection.open("127.0.0.1", silent.getLocalPort(), Duration.ofMillis(300),
                    listener)).isInstanceOf(ConnectionException.class)
                    .hasMessageEndingWith("accepted the connection but sent no HELLO within 300 ms; is it a Parley server?");
            accepted.join().close();
        }
    }

    @Test
    @DisplayName("BYE SERVER_FULL instead of HELLO is a sentence")
    void serverFull() throws IOException {
        try (ServerSocket full = new ServerSocket(0)) {
            onThread(() -> {
                try (Socket s = full.accept()) {
                    s.getOutputStream().write("BYE SERVER_FULL :100 connections\n".getBytes(StandardCharsets.UTF_8));
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the client went
                }
                return null;
            });
            assertThatThrownBy(() -> ParleyConnection.open("127.0.0.1", full.getLocalPort(), TIMEOUT, listener))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessage("the server at 127.0.0.1:" + full.getLocalPort()
                            + " closed the connection: the server is full; try again later (100 connections) [SERVER_FULL]");
        }
    }
}
