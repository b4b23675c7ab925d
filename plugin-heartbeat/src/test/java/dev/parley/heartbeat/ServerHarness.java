package dev.parley.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.TestClient;
import org.junit.jupiter.api.AfterEach;

/** The heartbeat plugin and a chat stand-in in the test kit's ServerCore, with heartbeat settings per test. */
abstract class ServerHarness {
    static final String QUIET = "interval = 10s, timeout = 30s, register-timeout = 10s, resume-grace = 10s";

    final TestRooms rooms = new TestRooms();
    ParleyTestKit kit;

    /** @param heartbeat settings as under {@code parley.heartbeat} */
    void start(String heartbeat) {
        start(heartbeat, new HeartbeatPlugin(), rooms);
    }

    void start(String heartbeat, ParleyPlugin... plugins) {
        kit = ParleyTestKit.builder().plugins(plugins).pluginConfig("heartbeat", heartbeat).start();
    }

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.close();
        }
    }

    TestClient connect() {
        return kit.connect();
    }

    /** Registers and returns the resume token from {@code OK NICK <nick> <token>}. */
    static String nick(TestClient c, String name) {
        Frame reply = c.send("NICK " + name).replyFrame();
        assertThat(reply.verb()).isEqualTo("OK");
        assertThat(reply.params()).hasSize(3).startsWith("NICK", name);
        return reply.param(2);
    }

    /** {@code from} TELLs {@code to} the numbers 1 to {@code count}, and each TELL is answered OK. */
    static void tellNumbers(TestClient from, String to, int count) {
        for (int i = 1; i <= count; i++) {
            from.send("TELL " + to + " :" + i);
        }
        assertThat(from.next(count)).containsOnly("OK TELL");
    }
}
