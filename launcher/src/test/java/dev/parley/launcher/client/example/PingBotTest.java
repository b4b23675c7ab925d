package dev.parley.launcher.client.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.client.RawClient;
import dev.parley.launcher.client.TcpProxy;
import dev.parley.launcher.client.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/client.md, run against a real server. */
class PingBotTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/parley/launcher/client/example/PingBot.java");
    private static final Path GUIDE = Path.of("../docs/client.md");

    @TempDir
    Path spool;

    private TestServer server;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(spool);
        proxy = new TcpProxy(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        server.close();
    }

    @Test
    @DisplayName("the bot answers !ping in its room, and still does after its connection broke (RESUME)")
    void answersAcrossABrokenConnection() throws Exception {
        try (RawClient alice = RawClient.member(server.port(), "alice", "#lobby");
             PingBot bot = PingBot.start("127.0.0.1", proxy.port(), "pingbot", "#lobby")) {
            alice.await(line -> line.endsWith("JOINED #lobby pingbot"));
            alice.send("SAY #lobby :!ping");
            assertThat(alice.await(line -> line.contains(" MSG #lobby pingbot ")))
                    .endsWith("MSG #lobby pingbot :pong, alice");

            proxy.cut();
            // Said while the bot is away: only a resumed session gets it (a new one would start after it).
            alice.send("SAY #lobby :!ping");
            assertThat(alice.await(line -> line.contains(" MSG #lobby pingbot ") || line.contains("LEFT")))
                    .endsWith("MSG #lobby pingbot :pong, alice");
        }
    }

    @Test
    @DisplayName("docs/client.md shows this very example")
    void guideShowsTheExample() throws Exception {
        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        String example = source.substring(source.indexOf("import "));
        assertThat(Files.readString(GUIDE, StandardCharsets.UTF_8)).contains(example);
    }
}
