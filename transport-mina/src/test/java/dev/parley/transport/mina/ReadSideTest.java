package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.ProtocolException;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.session.IoSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The server's read side without a codec filter: {@link ServerIoHandler} reports activity and decodes with the
 * connection's own decoder, and everything per connection hangs off one session attribute.
 */
@DisplayName("the server's read side")
class ReadSideTest {
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final AtomicInteger activity = new AtomicInteger();
    private MinaServer server;
    private LineClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MinaServer(TestServer.settings(10, 1 << 20), connection -> {
            accepted.add(connection);
            return new InboundHandler() {
                @Override
                public void activity() {
                    activity.incrementAndGet();
                }

                @Override
                public void frame(Frame frame) {
                    received.add(frame);
                }

                @Override
                public void malformed(ProtocolException error, boolean fatal) {
                    received.add(error.code());
                }

                @Override
                public void closed() {
                }
            };
        });
        client = new LineClient(server.start(), 0);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    private MinaConnection connection() throws InterruptedException {
        Connection c = accepted.poll(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(c).as("the accepted connection").isNotNull();
        return (MinaConnection) c;
    }

    private Object next() throws InterruptedException {
        Object message = received.poll(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a decoded frame or error").isNotNull();
        return message;
    }

    @Test
    @DisplayName("bytes of an unfinished line count as activity before any frame; the rest completes the frame")
    void activityBeforeTheLineEnds() throws Exception {
        connection();
        client.send("PI");
        TestServer.await("the first bytes are reported", () -> activity.get() > 0);
        assertThat(received).isEmpty();

        client.send("NG\r\nSAY #r :hi\n");

        assertThat(next()).isEqualTo(Frame.of("PING").build());
        assertThat(next()).isEqualTo(Frame.of("SAY").param("#r").trailing("hi").build());
    }

    @Test
    @DisplayName("a bad line reaches core as its error code, in order with the frames around it")
    void errorsInOrder() throws Exception {
        connection();
        client.send("PING\n@=x ECHO\nPONG\n");

        assertThat(next()).isEqualTo(Frame.of("PING").build());
        assertThat(next()).hasToString("BAD_SYNTAX");
        assertThat(next()).isEqualTo(Frame.of("PONG").build());
    }

    @Test
    @DisplayName("an admitted session holds one attribute of ours (beside MINA's processor) and no filters (TLS off)")
    void oneAttributeNoFilters() throws Exception {
        MinaConnection connection = connection();
        client.send("PING\n");
        next();
        IoSession session = connection.session();

        assertThat(session.getAttributeKeys()).hasSize(2)
                .filteredOn(key -> key.toString().startsWith("dev.parley.")).hasSize(1);
        assertThat(ServerIoHandler.connection(session)).isSameAs(connection);
        assertThat(session.getFilterChain().getAll()).isEmpty();
    }
}
