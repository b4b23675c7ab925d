package dev.parley.examples.dice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.server.StartupException;
import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.TestClient;
import dev.parley.testkit.TestDirectory;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DicePluginTest {

    /** Dice that count up: 1, 2, 3, ... (modulo the sides), so every roll is predictable. */
    private final AtomicInteger next = new AtomicInteger();
    private final DicePlugin dice = new DicePlugin(sides -> next.getAndIncrement() % sides + 1);

    @AutoClose
    private final ParleyTestKit kit = ParleyTestKit.start(dice, new TestDirectory());

    @Test
    @DisplayName("is found by name as the server finds it: module-info provides ParleyPlugin")
    void loadableByName() {
        // Fails when module-info lacks `provides dev.parley.core.spi.ParleyPlugin with ...`, which every other
        // test here would not notice (they construct the plugin themselves) and the server would ("unknown plugin").
        assertThat(ParleyTestKit.findPlugin("dice")).isInstanceOf(DicePlugin.class);
    }

    @Nested
    @DisplayName("ROLL <N>d<M>")
    class Alone {
        @Test
        @DisplayName("answers the total and each die")
        void roll() {
            TestClient c = kit.connect();
            assertThat(c.send("ROLL 3d6").reply()).isEqualTo("OK ROLL 6 :1 2 3");
        }

        @Test
        @DisplayName("needs no nick, and the notation is case-insensitive")
        void anonymous() {
            assertThat(kit.connect().send("roll 2D10").reply()).isEqualTo("OK ROLL 3 :1 2");
        }

        @Test
        @DisplayName("with fair dice, every die is between 1 and M and the total is their sum")
        void fair() {
            try (ParleyTestKit fair = ParleyTestKit.start(new DicePlugin())) {
                TestClient c = fair.connect();
                for (int i = 0; i < 50; i++) {
                    String[] reply = c.send("ROLL 100d6").reply().split(" :");
                    int[] each = Arrays.stream(reply[1].split(" ")).mapToInt(Integer::parseInt).toArray();
                    assertThat(each).hasSize(100);
                    assertThat(Arrays.stream(each).boxed()).allSatisfy(d -> assertThat(d).isBetween(1, 6));
                    assertThat(reply[0]).isEqualTo("OK ROLL " + Arrays.stream(each).sum());
                }
            }
        }

        @ParameterizedTest(name = "ROLL {0}")
        @DisplayName("bad input is BAD_SYNTAX with the accepted form")
        @ValueSource(strings = {"3", "d6", "3d", "0d6", "101d6", "3d1", "3d1001", "3x6", "-1d6", "3d6 lobby",
            "99999999d6"})
        void bad(String args) {
            assertThat(kit.connect().send("ROLL " + args).reply()).isEqualTo(
                    "ERR ROLL BAD_SYNTAX :use ROLL <N>d<M> [#room], 1 <= N <= 100, 2 <= M <= 1000");
        }

        @Test
        @DisplayName("the edges of the limits are accepted")
        void edges() {
            TestClient c = kit.connect();
            assertThat(c.send("ROLL 1d2").reply()).isEqualTo("OK ROLL 1 :1");
            assertThat(c.send("ROLL 100d1000").reply()).startsWith("OK ROLL ");
        }
    }

    @Nested
    @DisplayName("ROLL <N>d<M> <#room>")
    class InRoom {
        @Test
        @DisplayName("shows the roll to the other members of the room, and to nobody else")
        void event() {
            TestClient alice = kit.connect("alice");
            TestClient bob = kit.connect("bob");
            TestClient carol = kit.connect("carol");
            kit.join("#games", alice, bob);
            assertThat(alice.send("ROLL 2d6 #games").reply()).isEqualTo("OK ROLL 3 :1 2");
            assertThat(bob.event()).isEqualTo("ROLLED #games alice 2d6 3 :1 2");
            assertThat(alice.pending()).isEmpty();
            assertThat(carol.pending()).isEmpty();
        }

        @Test
        @DisplayName("refuses a caller who is not a member with NOT_IN_ROOM")
        void notInRoom() {
            TestClient alice = kit.connect("alice");
            TestClient bob = kit.connect("bob");
            kit.join("#games", bob);
            assertThat(alice.send("ROLL 2d6 #games").reply())
                    .isEqualTo("ERR ROLL NOT_IN_ROOM :join #games first, then roll for it");
            assertThat(bob.pending()).isEmpty();
        }

        @Test
        @DisplayName("without a plugin providing rooms, says so with NO_ROOMS")
        void noRooms() {
            try (ParleyTestKit alone = ParleyTestKit.start(new DicePlugin())) {
                assertThat(alone.connect("alice").send("ROLL 1d6 #games").reply()).startsWith("ERR ROLL NO_ROOMS :");
            }
        }
    }

    @Nested
    @DisplayName("configuration")
    class Configuration {
        @Test
        @DisplayName("parley.dice.max-dice and max-sides narrow the accepted rolls and the message says so")
        void limits() {
            try (ParleyTestKit narrow = ParleyTestKit.builder().plugin(new DicePlugin())
                    .pluginConfig("dice", "max-dice = 5, max-sides = 20").start()) {
                TestClient c = narrow.connect();
                assertThat(c.send("ROLL 6d6").reply())
                        .isEqualTo("ERR ROLL BAD_SYNTAX :use ROLL <N>d<M> [#room], 1 <= N <= 5, 2 <= M <= 20");
                assertThat(c.send("ROLL 5d20").reply()).startsWith("OK ROLL ");
            }
        }

        @Test
        @DisplayName("an out-of-range setting stops start-up naming the key")
        void badSetting() {
            assertThatThrownBy(() -> ParleyTestKit.builder().plugin(new DicePlugin()).set("parley.dice.max-dice", 0).start())
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("plugin 'dice'")
                    .hasMessageContaining("parley.dice.max-dice must be between 1 and 1000");
        }
    }

    @ParameterizedTest(name = "ROLL {0}")
    @DisplayName("a wrong number of arguments is answered by the server with the declared usage")
    @ValueSource(strings = {"", "3d6 #a #b"})
    void wrongCount(String args) {
        assertThat(kit.connect().send("ROLL " + args).reply())
                .isEqualTo("ERR ROLL BAD_ARGUMENT :usage: ROLL <N>d<M> [#room]");
    }

    @Test
    @DisplayName("ROLL is listed by HELP with its usage and summary")
    void help() {
        assertThat(kit.connect().command("HELP").lines()).contains("COMMAND ROLL dice :ROLL <N>d<M> [#room] - Roll dice");
    }
}
