package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("commands that overlap (Command.orderedOverlap)")
class OrderedOverlapTest {
    private static final int LIMIT = 4;

    /** OVER overlaps and answers when the test completes its future; ECHO answers at once and does not overlap. */
    static final class OverlapPlugin implements ParleyPlugin {
        final LinkedBlockingQueue<CompletableFuture<Reply>> started = new LinkedBlockingQueue<>();

        @Override
        public String name() {
            return "overlap";
        }

        @Override
        public List<Command> commands() {
            return List.of(
                    Command.async("OVER", "Answer when the test says", r -> {
                        CompletableFuture<Reply> reply = new CompletableFuture<>();
                        started.add(reply);
                        return reply.thenApply(ok -> Reply.ok(r.frame().params()));
                    }).beforeRegistration().orderedOverlap(),
                    Command.sync("ECHO", "Echo", r -> Reply.ok(r.frame().params())).beforeRegistration(),
                    Command.sync("SECRET", "Needs registration", r -> Reply.ok()).orderedOverlap());
        }

        CompletableFuture<Reply> nextStarted() throws InterruptedException {
            CompletableFuture<Reply> f = started.poll(5, TimeUnit.SECONDS);
            assertThat(f).as("a handler started").isNotNull();
            return f;
        }
    }

    private final OverlapPlugin plugin = new OverlapPlugin();
    private final ServerCore core = new ServerCore(new CoreSettings("parley", 4, LIMIT), ConfigFactory.load(),
            List.of(plugin), "test");
    private final FakeConnection connection = new FakeConnection();
    private final InboundHandler in;

    OrderedOverlapTest() throws InterruptedException {
        core.start();
        in = core.connected(connection);
        connection.handler = in;
        connection.next();
    }

    @AfterEach
    void stop() {
        core.shutdown(Duration.ofSeconds(2));
    }

    private void send(String line) {
        try {
            in.frame(FrameParser.parse(line));
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("pipelined overlapping commands all start before the first answers; replies keep command order")
    void overlapInOrder() throws Exception {
        send("OVER 1");
        send("OVER 2");
        send("OVER 3");
        CompletableFuture<Reply> first = plugin.nextStarted();
        CompletableFuture<Reply> second = plugin.nextStarted();
        CompletableFuture<Reply> third = plugin.nextStarted();
        third.complete(null);
        second.complete(null);
        assertThat(connection.written.poll(200, TimeUnit.MILLISECONDS)).as("nothing overtakes OVER 1").isNull();
        first.complete(null);
        assertThat(connection.next(3).stream().map(Frame::toString)).containsExactly("OK OVER 1", "OK OVER 2", "OK OVER 3");
    }

    @Test
    @DisplayName("a command that does not overlap starts only once the pending replies are written")
    void barrier() throws Exception {
        send("OVER 1");
        send("ECHO 2");
        send("FROBNICATE");
        send("OVER 3");
        CompletableFuture<Reply> first = plugin.nextStarted();
        assertThat(plugin.started.poll(200, TimeUnit.MILLISECONDS)).as("OVER 3 waits behind ECHO").isNull();
        assertThat(connection.written.poll(100, TimeUnit.MILLISECONDS)).isNull();
        first.complete(null);
        plugin.nextStarted().complete(null);
        assertThat(connection.next(4).stream().map(Frame::toString)).satisfiesExactly(
                l -> assertThat(l).isEqualTo("OK OVER 1"),
                l -> assertThat(l).isEqualTo("OK ECHO 2"),
                l -> assertThat(l).startsWith("ERR FROBNICATE UNKNOWN_COMMAND"),
                l -> assertThat(l).isEqualTo("OK OVER 3"));
    }

    @Test
    @DisplayName("an overlapping command refused before its handler (NOT_REGISTERED) is answered in its turn")
    void refusedInTurn() throws Exception {
        send("OVER 1");
        send("SECRET");
        CompletableFuture<Reply> first = plugin.nextStarted();
        assertThat(connection.written.poll(200, TimeUnit.MILLISECONDS)).isNull();
        first.complete(null);
        assertThat(connection.next(2).stream().map(Frame::toString)).satisfiesExactly(
                l -> assertThat(l).isEqualTo("OK OVER 1"),
                l -> assertThat(l).startsWith("ERR SECRET NOT_REGISTERED"));
    }

    @Test
    @DisplayName("at most max-queued-commands overlapping replies are pending; the next waits for them")
    void bounded() throws Exception {
        for (int i = 1; i <= LIMIT + 1; i++) {
            send("OVER " + i);
        }
        for (int i = 0; i < LIMIT; i++) {
            plugin.nextStarted().complete(null);
        }
        plugin.nextStarted().complete(null);
        assertThat(connection.next(LIMIT + 1)).hasSize(LIMIT + 1);
    }

    @Test
    @DisplayName("beyond the limit a handler does not start while the earlier replies are pending")
    void boundedWaits() throws Exception {
        for (int i = 1; i <= LIMIT + 1; i++) {
            send("OVER " + i);
        }
        List<CompletableFuture<Reply>> first = new java.util.ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            first.add(plugin.nextStarted());
        }
        assertThat(plugin.started.poll(200, TimeUnit.MILLISECONDS)).as("the fifth waits").isNull();
        first.forEach(f -> f.complete(null));
        plugin.nextStarted().complete(null);
        assertThat(connection.next(LIMIT + 1).get(LIMIT).toString()).isEqualTo("OK OVER " + (LIMIT + 1));
    }
}
