package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.LineClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The WebSocket transport at /ws")
class WebSocketTransportTest {
    private WebTestServer server;
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path spool;

    @BeforeEach
    void start() throws Exception {
        server = WebTestServer.start(Map.of("parley.limits.max-line-bytes", 200,
                "parley.limits.max-payload-bytes", 100_000, "parley.limits.handshake-timeout", "2s", "parley.filetransfer.spool-dir", spool.toString()),
                ParleyTestKit.findPlugin("chat"), ParleyTestKit.findPlugin("heartbeat"),
                ParleyTestKit.findPlugin("filetransfer"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Nested
    @DisplayName("speaks the TCP protocol, one line per text message")
    class SameProtocol {

        @Test
        @DisplayName("a WebSocket user and a TCP user chat in one room")
        void chatWithTcp() throws Exception {
            try (WsClient ws = WsClient.connect(server.ws(), server.origin());
                 LineClient tcp = server.tcp.connect()) {
                assertThat(ws.next()).startsWith("HELLO ");
                ws.send("NICK web");
                assertThat(ws.awaitStart("OK NICK")).startsWith("OK NICK web");
                ws.send("JOIN #room");
                ws.awaitStart("OK JOIN");
                assertThat(tcp.send("NICK plain").reply()).startsWith("OK NICK plain");
                assertThat(tcp.send("JOIN #room").reply()).isEqualTo("OK JOIN #room");
                ws.awaitStart("@seq=");
                ws.send("SAY #room :hello from the browser");
                assertThat(tcp.event()).endsWith("MSG #room web :hello from the browser");
                tcp.send("SAY #room :hello from nc");
                assertThat(ws.await(m -> m.contains(" MSG "))).endsWith("MSG #room plain :hello from nc");
                assertThat(server.web.webSocketCount()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("a line with a size tag is followed by one binary message with the payload")
        void payloadAsBinaryMessage() throws Exception {
            try (WsClient ws = WsClient.connect(server.ws(), null)) {
                ws.next();
                ws.send("@size=3;id=7 NOPE");
                ws.sendBinary("abc".getBytes(StandardCharsets.US_ASCII));
                ws.send("@id=8 PING x");
                assertThat(ws.next()).isEqualTo("@id=7 ERR NOPE UNKNOWN_COMMAND :no loaded plugin offers NOPE; send HELP for the list of commands");
                assertThat(ws.next()).startsWith("@id=8 ");
            }
        }

        @Test
        @DisplayName("a file goes up in CHUNKs and comes back from FETCH as text line + binary message pairs")
        void fileRoundTrip() throws Exception {
            byte[] content = new byte[70_000];
            new java.util.Random(7).nextBytes(content);
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
            try (WsClient ws = WsClient.connect(server.ws(), null)) {
                ws.next();
                ws.send("NICK uploader");
                ws.awaitStart("OK NICK");
                ws.send("OFFER uploader data.bin 70000 " + sha);
                String id = ws.awaitStart("OK OFFER").split(" ")[2];
                for (int offset = 0; offset < content.length; offset += 65536) {
                    int n = Math.min(65536, content.length - offset);
                    ws.send("@size=" + n + " CHUNK " + id + " " + offset);
                    ws.sendBinary(java.util.Arrays.copyOfRange(content, offset, offset + n));
                    assertThat(ws.awaitStart("OK CHUNK")).isEqualTo("OK CHUNK " + id + " " + (offset + n));
                }
                ws.send("FETCH " + id);
                java.io.ByteArrayOutputStream fetched = new java.io.ByteArrayOutputStream();
                String m;
                while (!(m = ws.next()).startsWith("OK FETCH")) {
                    if (m.startsWith("BINARY")) {
                        synchronized (ws.binaries) {
                            fetched.writeBytes(ws.binaries.remove(0));
                        }
                    } else {
                        assertThat(m).matches("@size=\\d+ CHUNK " + id + " \\d+");
                    }
                }
                assertThat(m).isEqualTo("OK FETCH " + id + " 70000 " + sha);
                assertThat(fetched.toByteArray()).isEqualTo(content);
                assertThat(server.web.metrics().value("parley.file.transfer.bytes", "direction", "in")).isEqualTo(70_000.0);
                assertThat(server.web.metrics().value("parley.file.transfer.bytes", "direction", "out")).isEqualTo(70_000.0);
            }
        }

        @Test
        @DisplayName("a connection that sends no line within handshake-timeout reads BYE TIMEOUT")
        void handshakeTimeout() throws Exception {
            try (WsClient idle = WsClient.connect(server.ws(), null)) {
                assertThat(idle.next()).startsWith("HELLO");
                assertThat(idle.next()).startsWith("BYE TIMEOUT");
                assertThat(idle.awaitStart("CLOSED")).isNotNull();
            }
        }

        @Test
        @DisplayName("a long line is refused with LINE_TOO_LONG and the connection stays usable")
        void lineTooLong() throws Exception {
            try (WsClient ws = WsClient.connect(server.ws(), null)) {
                ws.next();
                ws.send("SAY #room :" + "x".repeat(300));
                assertThat(ws.next()).startsWith("ERR * LINE_TOO_LONG");
                ws.send("NICK still");
                assertThat(ws.next()).startsWith("OK NICK still");
            }
        }

        @Test
        @DisplayName("a binary message without an announcing line ends the connection with BYE PROTOCOL")
        void strayBinary() throws Exception {
            try (WsClient ws = WsClient.connect(server.ws(), null)) {
                ws.next();
                ws.sendBinary(new byte[] {1, 2, 3});
                assertThat(ws.next()).startsWith("ERR * BAD_SYNTAX");
                assertThat(ws.next()).startsWith("BYE PROTOCOL");
                assertThat(ws.awaitStart("CLOSED")).isNotNull();
            }
        }

        @Test
        @DisplayName("a payload over max-payload-bytes is refused before it is sent, then BYE PROTOCOL")
        void payloadTooLarge() throws Exception {
            try (WsClient ws = WsClient.connect(server.ws(), null)) {
                ws.next();
                ws.send("@size=500000 CHUNK x 0");
                assertThat(ws.next()).startsWith("ERR * PAYLOAD_TOO_LARGE");
                assertThat(ws.next()).startsWith("BYE PROTOCOL");
            }
        }
    }

    @Test
    @DisplayName("once the server stops accepting, a new WebSocket reads BYE SHUTDOWN and the open ones stay")
    void stopAccepting() throws Exception {
        try (WsClient open = WsClient.connect(server.ws(), null)) {
            open.next();
            server.web.stopAccepting();
            try (WsClient late = WsClient.connect(server.ws(), null)) {
                assertThat(late.next()).startsWith("BYE SHUTDOWN");
            }
            open.send("NICK stillhere");
            assertThat(open.next()).startsWith("OK NICK stillhere");
        }
    }

    @Nested
    @DisplayName("refuses cross-site WebSocket hijacking")
    class Origins {

        @Test
        @DisplayName("a page of another origin gets 403; the server's own origin and clients without Origin get in")
        void otherOriginRefused() throws Exception {
            assertThatThrownBy(() -> WsClient.connect(server.ws(), "https://evil.example"))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse()
                            .statusCode()).isEqualTo(403));
            try (WsClient own = WsClient.connect(server.ws(), server.origin());
                 WsClient tool = WsClient.connect(server.ws(), null)) {
                assertThat(own.next()).startsWith("HELLO");
                assertThat(tool.next()).startsWith("HELLO");
            }
        }
    }

    @Nested
    @DisplayName("keeps a session across a lost connection")
    class Resume {

        @Test
        @DisplayName("RESUME over a new WebSocket replays what was missed")
        void resume() throws Exception {
            String token;
            try (LineClient tcp = server.tcp.connect()) {
                tcp.send("NICK other").reply();
                tcp.send("JOIN #r").reply();
                WsClient first = WsClient.connect(server.ws(), server.origin());
                first.next();
                first.send("NICK roamer");
                token = first.awaitStart("OK NICK").split(" ")[3];
                first.send("JOIN #r");
                first.awaitStart("OK JOIN");
                assertThat(tcp.event()).endsWith("JOINED #r roamer");
                tcp.send("SAY #r :one").reply();
                String seen = first.await(m -> m.contains("MSG #r other :one"));
                String seq = seen.substring("@seq=".length(), seen.indexOf(';'));
                first.socket.abort(); // the network goes away: no QUIT, no close frame
                tcp.send("SAY #r :two while you were away").reply();
                try (WsClient second = WsClient.connect(server.ws(), server.origin())) {
                    second.next();
                    second.send("RESUME " + token + " " + seq);
                    assertThat(second.await(m -> m.contains("MSG"))).endsWith("MSG #r other :two while you were away");
                    assertThat(second.awaitStart("OK RESUME")).startsWith("OK RESUME roamer ");
                    second.send("SAY #r :back");
                    assertThat(tcp.event()).endsWith("MSG #r roamer :back");
                }
            }
        }
    }

}
