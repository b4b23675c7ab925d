package dev.parley.examples.dice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.spi.Command;
import dev.parley.testkit.TestPluginContext;
import dev.parley.testkit.TestRequest;
import dev.parley.testkit.TestSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The same plugin called directly, on the test kit's unit-level fakes (plugin-guide, section 5). */
class DiceUnitTest {

    @Test
    @DisplayName("ROLL called without a server: the reply, the configured limit and the declared usage")
    void direct() throws Exception {
        DicePlugin dice = new DicePlugin();
        TestPluginContext context = TestPluginContext.of(dice, "parley.dice.max-dice = 5");
        dice.start(context);
        TestSession alice = context.open(new TestSession());
        Command roll = dice.commands().get(0);

        assertThat(reply(roll, alice, "ROLL 1d2")).startsWith("OK ROLL ");
        assertThat(reply(roll, alice, "ROLL 6d6")).isEqualTo(
                "ERR ROLL BAD_SYNTAX :use ROLL <N>d<M> [#room], 1 <= N <= 5, 2 <= M <= 1000");
        assertThat(reply(roll, alice, "ROLL")).isEqualTo("ERR ROLL BAD_ARGUMENT :usage: ROLL <N>d<M> [#room]");
    }

    private static String reply(Command command, TestSession session, String line) throws Exception {
        Frame frame = FrameParser.parse(line);
        return TestRequest.dispatch(command, session, frame, data -> { }).toCompletableFuture().join()
                .toFrame(frame.verb(), null).toString();
    }
}
