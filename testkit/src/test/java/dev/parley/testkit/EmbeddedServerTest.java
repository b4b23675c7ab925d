package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.client.ConnectionListener;
import dev.parley.client.DataLines;
import dev.parley.client.ParleyConnection;
import dev.parley.client.Reply;
import dev.parley.core.protocol.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EmbeddedServerTest {

    private final EmbeddedServer server;

    EmbeddedServerTest() throws IOException {
        server = EmbeddedServer.start(ConfigFactory.parseString("parley.probe.greeting = howdy"),
                new ProbePlugin(), new TestDirectory());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @DisplayName("listens on a free loopback port and greets with HELLO")
    void listens() throws IOException {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isPositive().isNotEqualTo(7878);
        try (LineClient c = server.connect()) {
            assertThat(c.hello()).isEqualTo("HELLO parley 1 embedded :probe testdirectory");
        }
    }

    @Test
    @DisplayName("commands, data lines and configuration work over TCP")
    void commands() throws IOException {
        try (LineClient c = server.connect()) {
            assertThat(c.send("@id=7 echo a").reply()).isEqualTo("@id=7 OK ECHO a");
            assertThat(c.command("LIST").lines()).containsExactly("ITEM a", "ITEM b");
            assertThat(c.send("GREETING").reply()).isEqualTo("OK GREETING :howdy");
        }
    }

    @Test
    @DisplayName("the client library's connection gets the same answers as a Reply, with data lines and codes")
    void clientLibrary() throws Exception {
        try (ParleyConnection c = server.open(new ConnectionListener() { })) {
            assertThat(c.hello().plugins()).containsExactly("probe", "testdirectory");
            Reply list = c.request(Frame.of("LIST").build(), DataLines.verbs("ITEM")).get(5, TimeUnit.SECONDS);
            assertThat(list.ok()).isTrue();
            assertThat(list.data()).extracting(Frame::toString).containsExactly("ITEM a", "ITEM b");
            Reply unknown = c.request(Frame.of("NOPE").build()).get(5, TimeUnit.SECONDS);
            assertThat(unknown.code()).isEqualTo("UNKNOWN_COMMAND");
            c.quit("done", Duration.ofSeconds(5));
        }
    }

    @Test
    @DisplayName("a line client's Answer is the client library's Reply too")
    void answerAsReply() throws IOException {
        try (LineClient c = server.connect()) {
            Reply list = c.command("LIST").toReply();
            assertThat(list.ok()).isTrue();
            assertThat(list.results()).containsExactly("2");
            assertThat(list.data()).extracting(Frame::verb).containsExactly("ITEM", "ITEM");
            assertThat(c.command("NOPE").toReply().code()).isEqualTo("UNKNOWN_COMMAND");
        }
    }

    @Test
    @DisplayName("what the real decoder refuses is answered ERR *, and payloads arrive whole")
    void codec() throws IOException {
        try (LineClient c = server.connect()) {
            c.sendBytes(new byte[] {'E', 'C', 'H', 'O', ' ', (byte) 0xC3, '\n'});
            assertThat(c.reply()).startsWith("ERR * BAD_ENCODING");
            c.send("BLOB :twelve bytes");
            assertThat(new String(c.eventFrame().payload())).isEqualTo("twelve bytes");
            assertThat(c.reply()).isEqualTo("OK BLOB");
        }
    }

    @Test
    @DisplayName("QUIT closes the socket; close() says BYE SHUTDOWN to the others")
    void ending() throws IOException {
        try (LineClient quitter = server.connect(); LineClient stayer = server.connect()) {
            assertThat(quitter.send("QUIT").reply()).isEqualTo("OK QUIT");
            quitter.awaitClosed();
            server.close();
            assertThat(stayer.event()).startsWith("BYE SHUTDOWN");
            stayer.awaitClosed();
        }
    }
}
