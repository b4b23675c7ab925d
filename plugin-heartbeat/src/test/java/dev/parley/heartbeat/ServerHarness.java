package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.ParleyPlugin;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** A ServerCore with the heartbeat plugin and a chat stand-in, driven through FakeConnections. */
abstract class ServerHarness {
    static final String QUIET = "interval = 10s, timeout = 30s, register-timeout = 10s, resume-grace = 10s";

    final TestRooms rooms = new TestRooms();
    ServerCore core;

    void start(String heartbeat) {
        start(List.of(new HeartbeatPlugin(), rooms), heartbeat);
    }

    void start(List<ParleyPlugin> plugins, String heartbeat) {
        core = new ServerCore(new CoreSettings("parley", 4, 64),
                ConfigFactory.parseString("parley.heartbeat {" + heartbeat + "}").withFallback(ConfigFactory.load()),
                plugins, "test");
        core.start();
    }

    @AfterEach
    void stop() {
        if (core != null) {
            core.shutdown(Duration.ofSeconds(2));
        }
    }

    FakeConnection connect() throws InterruptedException {
        FakeConnection c = new FakeConnection();
        c.handler = core.connected(c);
        assertThat(c.next()).startsWith("HELLO ");
        return c;
    }

    /** Registers and returns the resume token from {@code OK NICK <nick> <token>}. */
    static String nick(FakeConnection c, String name) throws InterruptedException {
        c.send("NICK " + name);
        Frame reply = parse(c.nextNotPing());
        assertThat(reply.verb()).isEqualTo("OK");
        assertThat(reply.params()).hasSize(3).startsWith("NICK", name);
        return reply.param(2);
    }

    static Frame parse(String line) {
        try {
            return FrameParser.parse(line);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
