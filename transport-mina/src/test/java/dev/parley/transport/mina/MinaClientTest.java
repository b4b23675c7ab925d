package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.protocol.Frame;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("MinaClient against MinaServer")
@Timeout(60)
class MinaClientTest {
    private TestServer server;
    private final Recorder recorder = new Recorder();

    /** Records what the client delivers, for the test thread to wait on. */
    private static final class Recorder implements ClientListener {
        final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Optional<Throwable>> disconnected = new CompletableFuture<>();

        @Override
        public void frame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void disconnected(Throwable cause) {
            disconnected.complete(Optional.ofNullable(cause));
        }

        Frame next() throws InterruptedException {
            Frame frame = frames.poll(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(frame).as("a frame within " + TestServer.TIMEOUT).isNotNull();
            return frame;
        }

        Optional<Throwable> awaitDisconnected() throws Exception {
            return disconnected.get(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MinaClient connect() throws IOException {
        return MinaClient.connect("127.0.0.1", server.address.getPort(), Duration.ofSeconds(5), recorder);
    }

    @Test
    @DisplayName("connects, receives HELLO, sends, receives the reply, closes cleanly")
    void conversation() throws Exception {
        MinaClient client = connect();
        assertThat(recorder.next().verb()).isEqualTo("HELLO");

        client.sendAndFlush(Frame.of("ECHO").param("hi").trailing("there you").build())
                .get(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        client.send(Frame.of("SLOW").param("second").build());

        assertThat(recorder.next()).isEqualTo(Frame.of("OK").params("ECHO", "hi").trailing("there you").build());
        assertThat(recorder.next()).isEqualTo(Frame.of("OK").params("SLOW", "second").build());
        assertThat(client.isConnected()).isTrue();

        client.close();

        assertThat(recorder.awaitDisconnected()).isEmpty();
        assertThat(client.isConnected()).isFalse();
        TestServer.await("the server saw the close", () -> server.transport.connectionCount() == 0);
    }

    @Test
    @DisplayName("payloads go both ways through the codec")
    void payload() throws Exception {
        byte[] payload = new byte[300_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i % 251);
        }
        try (MinaClient client = connect()) {
            recorder.next(); // HELLO
            client.send(Frame.of("ECHO").param("file").payload(new byte[] {'\n', (byte) 0x80}).build());
            assertThat(recorder.next().payload()).containsExactly('\n', (byte) 0x80);
            assertThat(recorder.next()).isEqualTo(Frame.of("OK").params("ECHO", "file").build());

            client.send(Frame.of("ECHO").payload(payload).build()); // 300 kB: within the server's 1 MiB limit
            assertThat(recorder.next().payload()).isEqualTo(payload);
        }
    }

    @Test
    @DisplayName("the server closing after QUIT is a clean disconnect")
    void serverCloses() throws Exception {
        try (MinaClient client = connect()) {
            recorder.next();
            client.send(Frame.of("QUIT").build());
            assertThat(recorder.next().toString()).isEqualTo("OK QUIT");
            assertThat(recorder.awaitDisconnected()).isEmpty();
            assertThat(client.isConnected()).isFalse();
            assertThatThrownBy(() -> client.sendAndFlush(Frame.of("ECHO").build())
                    .get(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    @DisplayName("undecodable lines from the server are skipped; the frames around them arrive in order")
    void skipsBadLines() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (java.net.Socket peer = fake.accept()) {
                    java.io.OutputStream out = peer.getOutputStream();
                    out.write("HELLO fake 1 x\n@=bad NOPE\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.write(new byte[] {'M', 'S', 'G', ' ', ':', (byte) 0xC3, 0x28, '\n'});
                    out.write("MSG :after\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.flush();
                    assertThat(peer.getInputStream().read()).isEqualTo(-1); // until the client closes
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (MinaClient client = MinaClient.connect("127.0.0.1", fake.getLocalPort(), Duration.ofSeconds(5),
                    recorder)) {
                assertThat(recorder.next().verb()).isEqualTo("HELLO");
                assertThat(recorder.next()).isEqualTo(Frame.of("MSG").trailing("after").build());
                assertThat(client.isConnected()).isTrue();
            }
            served.get(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(recorder.awaitDisconnected()).isEmpty();
            assertThat(recorder.frames).isEmpty();
        }
    }

    @Test
    @DisplayName("a closed port gives an IOException saying so")
    void connectionRefused() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }

        assertThatThrownBy(() -> MinaClient.connect("127.0.0.1", port, Duration.ofSeconds(5), recorder))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot connect to 127.0.0.1:" + port + ": Connection refused");
    }

    @Test
    @DisplayName("an unknown host gives an IOException saying so")
    void unknownHost() {
        assertThatThrownBy(() -> MinaClient.connect("no-such-host.invalid", 7878, Duration.ofSeconds(5), recorder))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot connect to no-such-host.invalid:7878: unknown host");
    }

    @Test
    @DisplayName("closing the server disconnects the client")
    void serverStops() throws Exception {
        MinaClient client = connect();
        recorder.next();
        server.transport.close();
        Optional<Throwable> cause;
        try {
            cause = recorder.awaitDisconnected();
        } catch (TimeoutException e) {
            throw new AssertionError("no disconnect after the server closed", e);
        }
        assertThat(client.isConnected()).isFalse();
        assertThat(cause).satisfiesAnyOf(c -> assertThat(c).isEmpty(),
                c -> assertThat(c.get()).isInstanceOf(IOException.class));
    }
}
