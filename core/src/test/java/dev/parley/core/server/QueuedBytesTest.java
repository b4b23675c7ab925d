package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("parley.limits.max-queued-bytes")
class QueuedBytesTest {
    private final ServerCoreTest.TestPlugin plugin = new ServerCoreTest.TestPlugin();
    private final ServerCore core = new ServerCore(new CoreSettings("parley", 2, 256, 1024 * 1024, 0, 1, 0),
            ConfigFactory.load(), List.of(plugin), "test");

    @AfterEach
    void stop() {
        core.shutdown(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("queued payloads past the limit suspend reading long before the command count does; resumed once drained")
    void payloadBytesSuspendInput() throws Exception {
        core.start();
        FakeConnection c = new FakeConnection();
        InboundHandler in = core.connected(c);
        c.handler = in;
        c.next();
        plugin.gate = new CountDownLatch(1);
        byte[] chunk = new byte[400 * 1024];
        for (int i = 0; i < 4; i++) {
            in.frame(Frame.of("SLOW").param(Integer.toString(i)).payload(chunk).build());
            // Two queue at most 800 kB; four queue at least 1.2 MB (the worker holds one or none of them).
            if (i == 1) {
                assertThat(c.suspended).isFalse();
            }
        }
        assertThat(c.suspended).isTrue();
        plugin.gate.countDown();
        assertThat(c.next(4)).extracting(Frame::toString).containsExactly("OK SLOW 0", "OK SLOW 1", "OK SLOW 2",
                "OK SLOW 3");
        assertThat(c.suspended).isFalse();
    }
}
