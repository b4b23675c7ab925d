package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("per-session command rate limit (parley.limits.commands-per-second)")
class RateLimitTest {
    private final ServerCoreTest.TestPlugin plugin = new ServerCoreTest.TestPlugin();
    private ServerCore core;

    private void start(double perSecond, int burst, int floodAfter) {
        core = new ServerCore(new CoreSettings("parley", 2, 10_000, 1 << 20, perSecond, burst, floodAfter),
                ConfigFactory.load(), List.of(plugin), "test");
        core.start();
    }

    @AfterEach
    void stop() {
        core.shutdown(Duration.ofSeconds(2));
    }

    private InboundHandler connect(FakeConnection c) throws InterruptedException {
        InboundHandler in = core.connected(c);
        c.handler = in;
        assertThat(c.next().verb()).isEqualTo("HELLO");
        return in;
    }

    private static Frame parse(String line) {
        try {
            return FrameParser.parse(line);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("5000 commands at once at 50/s burst 100: most are RATE_LIMITED, each answered, another session is served")
    void flood() throws Exception {
        start(50, 100, 0);
        FakeConnection flooder = new FakeConnection();
        FakeConnection other = new FakeConnection();
        InboundHandler in = connect(flooder);
        InboundHandler otherIn = connect(other);

        for (int i = 0; i < 5000; i++) {
            in.frame(parse("@id=" + i + " ECHO " + i));
        }
        otherIn.frame(parse("ECHO other"));
        assertThat(other.next().toString()).isEqualTo("OK ECHO other");

        AtomicInteger ok = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        for (int i = 0; i < 5000; i++) {
            Frame reply = flooder.next();
            assertThat(reply.tag("id")).isEqualTo(Integer.toString(i));
            if (reply.verb().equals("OK")) {
                ok.incrementAndGet();
            } else {
                assertThat(reply.toString()).startsWith("@id=" + i + " ERR ECHO RATE_LIMITED :more than 50 commands");
                limited.incrementAndGet();
            }
        }
        assertThat(ok.get()).isGreaterThanOrEqualTo(100).isLessThan(1000);
        assertThat(limited.get()).isGreaterThan(4000);
        assertThat(flooder.isOpen()).isTrue();
    }

    @Test
    @DisplayName("a client that keeps flooding reads BYE FLOOD and is closed; QUIT is never limited")
    void floodDisconnect() throws Exception {
        start(1, 2, 10);
        FakeConnection c = new FakeConnection();
        InboundHandler in = connect(c);
        for (int i = 0; i < 50; i++) {
            in.frame(parse("ECHO " + i));
        }
        int limited = 0;
        Frame f;
        while (!(f = c.next()).verb().equals("BYE")) {
            if (f.verb().equals("ERR")) {
                limited++;
            }
        }
        assertThat(f.param(0)).isEqualTo("FLOOD");
        assertThat(limited).isEqualTo(10);
        assertThat(c.awaitClosed()).isTrue();
    }

    @Test
    @DisplayName("QUIT goes through even with an empty bucket")
    void quitAlwaysRuns() throws Exception {
        start(0.001, 1, 0);
        FakeConnection c = new FakeConnection();
        InboundHandler in = connect(c);
        in.frame(parse("ECHO a"));
        in.frame(parse("ECHO b"));
        in.frame(parse("QUIT"));
        assertThat(c.next(3)).extracting(Frame::toString).containsExactly("OK ECHO a",
                "ERR ECHO RATE_LIMITED :more than 0.001 commands per second (burst 1); this one was not run: slow down",
                "OK QUIT");
    }

    @Test
    @DisplayName("commands-per-second = 0 (the default) limits nothing")
    void unlimitedByDefault() throws Exception {
        CoreSettings defaults = CoreSettings.from(ConfigFactory.load());
        assertThat(defaults.rateLimited()).isFalse();
        core = new ServerCore(defaults, ConfigFactory.load(), List.of(plugin), "test");
        core.start();
        FakeConnection c = new FakeConnection();
        InboundHandler in = connect(c);
        for (int i = 0; i < 2000; i++) {
            in.frame(parse("ECHO " + i));
        }
        assertThat(c.next(2000)).allSatisfy(f -> assertThat(f.verb()).isEqualTo("OK"));
    }
}
