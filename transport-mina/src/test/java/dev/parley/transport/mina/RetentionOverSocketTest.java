package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.Frame;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.RetentionPolicy;
import dev.parley.core.spi.SessionRetention;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What core's resumption support needs from the transport, over a real socket. */
class RetentionOverSocketTest {

    /** REG registers, POKE sends this session two events (with and without tags), IDLE reports idle millis. */
    static final class RetainingPlugin implements ParleyPlugin {
        SessionRetention retention;

        @Override
        public String name() {
            return "retaining";
        }

        @Override
        public void start(PluginContext context) {
            retention = context.retainSessions(new RetentionPolicy(Duration.ofSeconds(30), 100));
        }

        @Override
        public List<Command> commands() {
            return List.of(
                    Command.sync("REG", "register", r -> {
                        r.session().register(r.argument(0));
                        return Reply.ok();
                    }).beforeRegistration(),
                    Command.sync("POKE", "two events", r -> {
                        r.session().send(Frame.of("TAGGED").tag("msgid", "9").param("a").build());
                        r.session().send(Frame.of("PLAIN").trailing("b c").build());
                        return Reply.ok();
                    }),
                    Command.sync("IDLE", "idle millis", r -> Reply.ok(Long.toString(
                            retention.idleTime(r.session()).orElseThrow().toMillis()))).beforeRegistration());
        }
    }

    private final RetainingPlugin plugin = new RetainingPlugin();
    private final ServerCore core = new ServerCore(new CoreSettings("parley", 2, 64), ConfigFactory.load(),
            List.of(plugin), "test");
    private final MinaServer transport;

    RetentionOverSocketTest() throws Exception {
        core.start();
        transport = new MinaServer(new TransportSettings("127.0.0.1", 0, 100, 4096, 1024 * 1024, 1 << 20, 1), core);
    }

    @AfterEach
    void stop() {
        transport.close();
        core.shutdown(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("events to a retained session carry seq, spliced into their own tags by the two-part write")
    void seqTags() throws Exception {
        try (LineClient c = new LineClient(transport.start(), 0)) {
            c.hello();
            c.send("REG alice\n");
            assertThat(c.readLine()).isEqualTo("OK REG");
            c.send("POKE\n");
            assertThat(c.readLine()).isEqualTo("@seq=1;msgid=9 TAGGED a");
            assertThat(c.readLine()).isEqualTo("@seq=2 PLAIN :b c");
            assertThat(c.readLine()).isEqualTo("OK POKE");
        }
    }

    @Test
    @DisplayName("bytes of a payload still streaming in count as activity before the frame is complete")
    void partialPayloadIsActivity() throws Exception {
        try (LineClient c = new LineClient(transport.start(), 0)) {
            c.hello();
            c.sendRaw("@size=10 IDLE\n12345".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300); // let the session go idle while the payload is unfinished
            c.sendRaw("67".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(50);
            c.sendRaw("890".getBytes(StandardCharsets.US_ASCII));
            String reply = c.readLine();
            assertThat(reply).startsWith("OK IDLE ");
            // Without read activity the session would have been idle for >= 350 ms when the frame completed.
            assertThat(Long.parseLong(reply.substring("OK IDLE ".length()))).isLessThan(200);
        }
    }
}
