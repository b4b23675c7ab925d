package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The plugin inside core's real server (dispatcher, ordering, QUIT), over a connection without a socket. */
@DisplayName("chat inside core's server")
class ServerWiringTest {
    private final ServerCore server = new ServerCore(new CoreSettings("test", 2, 64),
            ConfigFactory.parseString("parley.chat { history-size = 5 }"), List.of(new ChatPlugin()), "test");

    {
        server.start();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("registration, data lines before the reply, and LEFT with the QUIT text")
    void conversation() throws Exception {
        Peer alice = new Peer();
        Peer bob = new Peer();
        assertThat(alice.next()).startsWith("HELLO test ");
        assertThat(bob.next()).startsWith("HELLO test ");

        alice.send("JOIN #lobby");
        assertThat(alice.next()).startsWith("ERR JOIN NOT_REGISTERED");
        alice.send("@id=1 NICK alice");
        assertThat(alice.next()).isEqualTo("@id=1 OK NICK alice");
        bob.send("NICK bob");
        assertThat(bob.next()).isEqualTo("OK NICK bob");
        alice.send("JOIN #lobby");
        assertThat(alice.next()).isEqualTo("OK JOIN #lobby");
        bob.send("JOIN #Lobby");
        assertThat(bob.next()).isEqualTo("OK JOIN #lobby");
        assertThat(alice.next()).isEqualTo("JOINED #lobby bob");

        bob.send("SAY #lobby :héllo wörld ✓");
        assertThat(bob.next()).isEqualTo("OK SAY #lobby");
        assertThat(alice.next()).matches("@msgid=1;time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z "
                + "MSG #lobby bob :héllo wörld ✓");

        alice.send("WHO #lobby");
        assertThat(alice.next()).isEqualTo("MEMBER #lobby alice");
        assertThat(alice.next()).isEqualTo("MEMBER #lobby bob");
        assertThat(alice.next()).isEqualTo("OK WHO #lobby 2");

        bob.send("QUIT :see you");
        assertThat(bob.next()).isEqualTo("OK QUIT");
        assertThat(alice.next()).isEqualTo("LEFT #lobby bob :see you");
        alice.send("NICK BOB");
        assertThat(alice.next()).isEqualTo("OK NICK BOB");
    }

    /** A client connection whose written lines are read back with a timeout. */
    private final class Peer implements Connection {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final InboundHandler inbound = server.connected(this);

        void send(String line) throws Exception {
            inbound.frame(FrameParser.parse(line));
        }

        String next() throws InterruptedException {
            String line = lines.poll(5, TimeUnit.SECONDS);
            assertThat(line).as("a line within 5 s").isNotNull();
            return line;
        }

        @Override
        public SocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("peer", 1);
        }

        @Override
        public boolean write(byte[] encoded) {
            if (!open.get()) {
                return false;
            }
            List<String> split = new ArrayList<>(List.of(new String(encoded, StandardCharsets.UTF_8).split("\n")));
            lines.addAll(split);
            return true;
        }

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public void suspendInput() {
        }

        @Override
        public void resumeInput() {
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                inbound.closed();
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }
    }
}
