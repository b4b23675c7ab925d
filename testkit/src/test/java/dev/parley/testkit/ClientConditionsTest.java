package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.RetentionPolicy;
import dev.parley.core.spi.SessionRetention;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Clients in the conditions plugins must cope with: another address, a stalled reader, a slow upload. */
class ClientConditionsTest {

    /** Keeps sessions for resumption, so that core numbers their events and tracks their activity. */
    private static final class Retaining implements ParleyPlugin {
        volatile SessionRetention retention;

        @Override
        public String name() {
            return "retaining";
        }

        @Override
        public void start(PluginContext context) {
            retention = context.retainSessions(new RetentionPolicy(Duration.ofSeconds(30), 16));
        }
    }

    private final Retaining retaining = new Retaining();

    @AutoClose
    private final ParleyTestKit kit = ParleyTestKit.start(new ProbePlugin(), new TestDirectory(), retaining);

    @Test
    @DisplayName("connectFrom gives the session that remote address, each client a port of its own")
    void connectFrom() {
        TestClient a = kit.connectFrom("10.0.0.1");
        TestClient b = kit.connectFrom("10.0.0.1");
        InetSocketAddress first = (InetSocketAddress) kit.session(a).remoteAddress();
        InetSocketAddress second = (InetSocketAddress) kit.session(b).remoteAddress();
        assertThat(first.getAddress().getHostAddress()).isEqualTo("10.0.0.1");
        assertThat(second.getAddress()).isEqualTo(first.getAddress());
        assertThat(second.getPort()).isNotEqualTo(first.getPort());
        assertThat(((InetSocketAddress) kit.session(kit.connect()).remoteAddress()).getAddress().isLoopbackAddress())
                .isTrue();
        assertThatThrownBy(() -> kit.connectFrom("example.org")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a client that stops reading holds what is written as pending bytes, and reads it all, in order, later")
    void stopReading() {
        TestClient c = kit.connect();
        kit.stopReading(c);
        c.send("ECHO one").send("LIST");
        kit.await("both answers written", () -> kit.session(c).pendingBytes() == "OK ECHO one\nITEM a\nITEM b\nOK LIST 2\n".length());
        assertThat(c.pending()).isEmpty();
        kit.resumeReading(c);
        assertThat(kit.session(c).pendingBytes()).isZero();
        assertThat(c.pending()).containsExactly("OK ECHO one", "ITEM a", "ITEM b", "OK LIST 2");
        assertThat(c.next(4)).containsExactly("OK ECHO one", "ITEM a", "ITEM b", "OK LIST 2");
        assertThat(c.send("ECHO two").reply()).isEqualTo("OK ECHO two");
    }

    @Test
    @DisplayName("bytesArriving counts as activity on the connection without being a command")
    void bytesArriving() {
        TestClient c = kit.connect("alice");
        Duration idle = Duration.ofMillis(30);
        kit.await("the session idle for " + idle,
                () -> retaining.retention.idleTime(kit.session(c)).orElseThrow().compareTo(idle) >= 0);
        kit.bytesArriving(c);
        assertThat(retaining.retention.idleTime(kit.session(c))).hasValueSatisfying(d -> assertThat(d).isLessThan(idle));
        assertThat(c.pending()).isEmpty();
    }

    @Test
    @DisplayName("sharedWrites counts events written as a per-client seq prefix in front of a shared body")
    void sharedWrites() {
        TestClient alice = kit.connect("alice");
        TestClient bob = kit.connect("bob");
        kit.join("#r", alice, bob);
        assertThat(alice.send("SHOUT #r :hi").reply()).isEqualTo("OK SHOUT #r");
        assertThat(bob.event()).isEqualTo("@seq=1 SHOUTED #r alice :hi");
        assertThat(kit.sharedWrites(bob)).isEqualTo(1);
        assertThat(kit.sharedWrites(alice)).isZero();
    }

    @Test
    @DisplayName("pendingAfter waits the whole window and returns what arrived, without taking it")
    void pendingAfter() {
        TestClient c = kit.connect();
        long start = System.nanoTime();
        assertThat(c.pendingAfter(Duration.ofMillis(50))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        c.send("ECHO x");
        assertThat(c.pendingAfter(Duration.ofMillis(10))).containsExactly("OK ECHO x");
        assertThat(c.reply()).isEqualTo("OK ECHO x");
    }
}
