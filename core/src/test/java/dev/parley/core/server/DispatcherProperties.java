package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The dispatcher's contract over generated command streams through the real ServerCore: whatever the verbs
 * (known, unknown, failing, async, needing registration) and malformed lines in between, every input gets
 * exactly one final reply, in order, carrying its id; nothing escapes as an exception.
 */
@Label("Dispatcher properties")
class DispatcherProperties {

    /** One input: a frame, or (frame == null) a malformed line. */
    record Input(Frame frame) {
        String verb() {
            return frame == null ? "*" : frame.verb();
        }
    }

    @Property(tries = 100)
    @Label("every frame and malformed line gets exactly one final reply, in order, with its id")
    void oneReplyEach(@ForAll("inputs") List<Input> inputs, @ForAll boolean rateLimited) throws Exception {
        CoreSettings settings = rateLimited ? new CoreSettings("parley", 2, 8, 1 << 20, 1000, 5, 0)
                : new CoreSettings("parley", 2, 8);
        ServerCore core = new ServerCore(settings, ConfigFactory.load(), List.of(new ServerCoreTest.TestPlugin()),
                "test");
        core.start();
        try {
            FakeConnection c = new FakeConnection();
            InboundHandler in = core.connected(c);
            c.handler = in;
            assertThat(c.next().verb()).isEqualTo("HELLO");
            for (Input input : inputs) {
                if (input.frame() == null) {
                    in.malformed(new ProtocolException(ErrorCode.BAD_SYNTAX, "generated"), false);
                } else {
                    in.frame(input.frame());
                }
            }
            List<Frame> finals = new ArrayList<>();
            while (finals.size() < inputs.size()) {
                Frame f = c.next();
                if (f.verb().equals("OK") || f.verb().equals("ERR")) {
                    finals.add(f);
                }
            }
            for (int i = 0; i < inputs.size(); i++) {
                Input input = inputs.get(i);
                Frame reply = finals.get(i);
                assertThat(reply.param(0)).as("reply %d to %s", i, input).isEqualTo(input.verb());
                String id = input.frame() == null ? null : input.frame().tag(Frame.TAG_ID);
                assertThat(reply.tag(Frame.TAG_ID)).isEqualTo(id);
                if (!rateLimited && input.verb().equals("ECHO")) {
                    assertThat(reply.verb()).isEqualTo("OK");
                }
            }
            assertThat(c.written).noneMatch(f -> f.verb().equals("OK") || f.verb().equals("ERR"));
        } finally {
            core.shutdown(Duration.ofSeconds(2));
        }
    }

    @Provide
    Arbitrary<List<Input>> inputs() {
        Arbitrary<String> verb = Arbitraries.oneOf(
                Arbitraries.of("ECHO", "SLOW", "BOOM", "LIST", "NAME", "SECRET", "HELP", "echo", "Slow"),
                Arbitraries.strings().withChars("ABCXYZ019._").ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> param = Arbitraries.strings().withChars("abc#019é✓:").ofMinLength(1).ofMaxLength(6)
                .filter(p -> !p.startsWith(":"));
        Arbitrary<String> id = Arbitraries.strings().withChars("abc0123").ofMinLength(1).ofMaxLength(4).injectNull(0.5);
        Arbitrary<Input> frame = Combinators.combine(verb, param.list().ofMaxSize(3), id).as((v, p, i) -> {
            Frame.Builder b = Frame.of(v).params(p);
            if (i != null) {
                b.tag(Frame.TAG_ID, i);
            }
            return new Input(b.build());
        });
        Arbitrary<Input> malformed = Arbitraries.just(new Input(null));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, frame), net.jqwik.api.Tuple.of(1, malformed))
                .list().ofMaxSize(40);
    }
}
