package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The link follows a stopping cluster server's {@code @next=<host:port> BYE SHUTDOWN}: it reconnects to the
 * named server at once, though that server is not among its own, and resumes the session there. Two scripted
 * servers on loopback speak the protocol's lines.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandoverRedirectTest {

    @Test
    @DisplayName("after @next=<host:port> BYE SHUTDOWN the link resumes on that server, with the token and last seq")
    void followsNext() throws Exception {
        try (ServerSocket first = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ServerSocket next = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            BlockingQueue<String> heardByNext = new LinkedBlockingQueue<>();
            CompletableFuture<Void> firstDone = CompletableFuture.runAsync(() -> serve(first, (in, out) -> {
                send(out, "HELLO parley 1 first :test");
                String nick = in.readLine();
                assertThat(nick).endsWith("NICK bob");
                send(out, id(nick) + "OK NICK bob tok1");
                send(out, "@seq=7 MSG #roll alice :before");
                // The server stops and hands the session to the other one; it takes no more connections.
                send(out, "@next=127.0.0.1:" + next.getLocalPort() + " BYE SHUTDOWN :the server is restarting");
                first.close();
            }));
            CompletableFuture.runAsync(() -> serve(next, (in, out) -> {
                send(out, "HELLO parley 1 next :test");
                String line = in.readLine();
                heardByNext.add(line.replaceFirst("^@id=\\S+ ", ""));
                send(out, id(line) + "OK RESUME bob tok2");
                send(out, "@seq=8 MSG #roll alice :after");
                in.readLine(); // until the test closes the link
            }));

            List<String> events = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> resumed = new CompletableFuture<>();
            ConnectionListener listener = new ConnectionListener() {
                @Override
                public void event(Frame event) {
                    events.add(event.verb() + " " + event.trailing());
                }

                @Override
                public void resumed() {
                    resumed.complete(null);
                }
            };
            // Its own list holds only the first server, and its back-off would wait long: the redirect does not.
            try (ReconnectingLink link = ReconnectingLink.open("127.0.0.1", first.getLocalPort(), Duration.ofSeconds(5),
                    null, new Backoff(Duration.ofSeconds(20), Duration.ofSeconds(20), 3), listener)) {
                assertThat(link.request(Frame.of("NICK").param("bob").build()).get(5, TimeUnit.SECONDS).ok()).isTrue();
                firstDone.get(5, TimeUnit.SECONDS);
                assertThat(heardByNext.poll(5, TimeUnit.SECONDS)).isEqualTo("RESUME tok1 7");
                resumed.get(5, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!events.contains("MSG after") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(events).contains("MSG before", "MSG after");
                assertThat(link.isOpen()).isTrue();
            }
        }
    }

    @Test
    @DisplayName("a takeover that answers RESUME later than the connect timeout still resumes, with one RESUME sent")
    void slowTakeover() throws Exception {
        try (ServerSocket first = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ServerSocket next = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            BlockingQueue<String> heardByNext = new LinkedBlockingQueue<>();
            CompletableFuture.runAsync(() -> serve(first, (in, out) -> {
                send(out, "HELLO parley 1 first :test");
                String nick = in.readLine();
                send(out, id(nick) + "OK NICK bob tok1");
                send(out, "@next=127.0.0.1:" + next.getLocalPort() + " BYE SHUTDOWN :the server is restarting");
                first.close();
            }));
            CompletableFuture.runAsync(() -> {
                // Every connection the link makes: a second RESUME would mean the first answer was given up on.
                while (!next.isClosed()) {
                    serve(next, (in, out) -> {
                        send(out, "HELLO parley 1 next :test");
                        String line = in.readLine();
                        heardByNext.add(line.replaceFirst("^@id=\\S+ ", ""));
                        try {
                            Thread.sleep(2_500); // reading the dead node's checkpoints
                        } catch (InterruptedException e) {
                            return;
                        }
                        send(out, id(line) + "OK RESUME bob tok2");
                        in.readLine();
                    });
                }
            });
            CompletableFuture<Void> resumed = new CompletableFuture<>();
            ConnectionListener listener = new ConnectionListener() {
                @Override
                public void resumed() {
                    resumed.complete(null);
                }
            };
            try (ReconnectingLink link = ReconnectingLink.open("127.0.0.1", first.getLocalPort(), Duration.ofSeconds(1),
                    Duration.ofSeconds(10), new Backoff(Duration.ofMillis(100), Duration.ofMillis(100), 5), listener)) {
                assertThat(link.request(Frame.of("NICK").param("bob").build()).get(5, TimeUnit.SECONDS).ok()).isTrue();
                assertThat(heardByNext.poll(5, TimeUnit.SECONDS)).isEqualTo("RESUME tok1 0");
                resumed.get(8, TimeUnit.SECONDS);
                assertThat(heardByNext).as("no second RESUME").isEmpty();
            }
        }
    }

    @Test
    @DisplayName("RESUME answered CLUSTER_UNAVAILABLE keeps the token and tries again, and the session comes back")
    void clusterUnavailable() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            CompletableFuture.runAsync(() -> {
                serve(server, (in, out) -> {
                    send(out, "HELLO parley 1 s :test");
                    String nick = in.readLine();
                    send(out, id(nick) + "OK NICK bob tok1");
                    send(out, "@seq=3 MSG #roll alice :before");
                    // the connection drops: the client reconnects and resumes
                });
                // A server that cannot reach its cluster's majority, then one that can.
                for (String answer : List.of("ERR RESUME CLUSTER_UNAVAILABLE :no majority; try again in a few seconds",
                        "OK RESUME bob tok2")) {
                    serve(server, (in, out) -> {
                        send(out, "HELLO parley 1 s :test");
                        String line = in.readLine();
                        heard.add(line.replaceFirst("^@id=\\S+ ", ""));
                        send(out, id(line) + answer);
                        if (answer.startsWith("OK")) {
                            in.readLine();
                        }
                    });
                }
            });
            CompletableFuture<Void> resumed = new CompletableFuture<>();
            ConnectionListener listener = new ConnectionListener() {
                @Override
                public void resumed() {
                    resumed.complete(null);
                }
            };
            try (ReconnectingLink link = ReconnectingLink.open("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2),
                    null, new Backoff(Duration.ofMillis(50), Duration.ofMillis(50), 5), listener)) {
                assertThat(link.request(Frame.of("NICK").param("bob").build()).get(5, TimeUnit.SECONDS).ok()).isTrue();
                assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("RESUME tok1 3");
                assertThat(heard.poll(5, TimeUnit.SECONDS)).as("the same token again").isEqualTo("RESUME tok1 3");
                resumed.get(5, TimeUnit.SECONDS);
                assertThat(link.isOpen()).isTrue();
            }
        }
    }

    @Test
    @DisplayName("host:port of a next tag, IPv6 in brackets; nothing for a malformed one")
    void hostPort() {
        assertThat(ReconnectingLink.hostPort("10.0.0.2:7101")).hasValueSatisfying(a -> {
            assertThat(a.getHostString()).isEqualTo("10.0.0.2");
            assertThat(a.getPort()).isEqualTo(7101);
        });
        assertThat(ReconnectingLink.hostPort("[::1]:7101")).hasValueSatisfying(a -> assertThat(a.getHostString()).isEqualTo("::1"));
        assertThat(ReconnectingLink.hostPort("nohost")).isEmpty();
        assertThat(ReconnectingLink.hostPort("h:99999")).isEmpty();
        assertThat(ReconnectingLink.hostPort("h:")).isEmpty();
    }

    private interface Script {
        void run(BufferedReader in, OutputStream out) throws IOException;
    }

    private static void serve(ServerSocket server, Script script) {
        try (Socket s = server.accept();
             BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            script.run(in, s.getOutputStream());
        } catch (IOException e) {
            // the test closed the link
        }
    }

    /** The command's {@code @id} tag for its reply (the link tags its commands), or nothing. */
    private static String id(String command) {
        return command.startsWith("@id=") ? command.substring(0, command.indexOf(' ') + 1) : "";
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
