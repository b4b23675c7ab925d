package dev.parley.chat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.chat.ChatHarness;
import dev.parley.chat.ChatHarness.Client;
import dev.parley.chat.ChatHarness.Result;
import dev.parley.chat.TestAccounts;
import dev.parley.chat.protocol.ChatErrors;
import dev.parley.core.spi.Accounts;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KickCommandTest {
    private final ChatHarness chat = new ChatHarness();

    @Test
    @DisplayName("without a plugin providing accounts KICK is not offered at all, so HELP does not list it")
    void noAccounts() {
        assertThat(chat.commands()).doesNotContainKey("KICK");
        Client alice = chat.registered("alice");
        alice.ok("JOIN #lobby");
        chat.registered("bob").ok("JOIN #lobby");
        assertThat(alice.send("KICK #lobby bob").line()).startsWith("ERR KICK UNKNOWN_COMMAND");
    }

    @Nested
    @DisplayName("with accounts")
    class WithAccounts {
        private Client op;
        private Client bob;
        private Client carol;

        @BeforeEach
        void setUp() {
            chat.provide(Accounts.class, new TestAccounts(Set.of("root", "bob"), Set.of("root")));
            op = TestAccounts.as(chat.connect(), "root");
            op.ok("NICK root");
            bob = TestAccounts.as(chat.connect(), "bob");
            bob.ok("NICK bob");
            carol = chat.registered("carol");
            bob.ok("JOIN #lobby");
            carol.ok("JOIN #lobby");
            bob.takeEvents();
            carol.takeEvents();
        }

        @Test
        @DisplayName("KICK by an operator removes the nick; every member, the kicked one too, gets KICKED")
        void kicks() {
            assertThat(op.send("KICK #lobby BOB :spam").line()).isEqualTo("OK KICK #lobby bob");
            assertThat(bob.takeEvents()).containsExactly("KICKED #lobby bob root :spam");
            assertThat(carol.takeEvents()).containsExactly("KICKED #lobby bob root :spam");
            assertThat(chat.directory().isMember("#lobby", bob.session())).isFalse();
            assertThat(bob.send("SAY #lobby :back?").error()).isEqualTo(ChatErrors.NOT_IN_ROOM);
            assertThat(carol.send("WHO #lobby").dataLines()).containsExactly("MEMBER #lobby carol");
        }

        @Test
        @DisplayName("the operator need not be a member; without a reason members see a default one")
        void defaultReason() {
            op.ok("KICK #lobby carol");
            assertThat(carol.takeEvents()).containsExactly("KICKED #lobby carol root :" + KickCommand.NO_REASON);
        }

        @Test
        @DisplayName("kicking the last member closes the room")
        void lastMember() {
            op.ok("KICK #lobby bob");
            op.ok("KICK #lobby carol");
            assertThat(op.send("WHO #lobby").error()).isEqualTo(ChatErrors.NO_SUCH_ROOM);
        }

        @Test
        @DisplayName("an authenticated non-operator gets NOT_PERMITTED and nothing changes")
        void notPermitted() {
            Result r = bob.send("KICK #lobby carol");
            assertThat(r.line()).startsWith("ERR KICK NOT_PERMITTED :");
            assertThat(carol.takeEvents()).isEmpty();
            assertThat(chat.directory().isMember("#lobby", carol.session())).isTrue();
            assertThat(carol.send("KICK #lobby bob").error()).isEqualTo(ChatErrors.NOT_PERMITTED);
        }

        @Test
        @DisplayName("NO_SUCH_ROOM and NOT_IN_ROOM when there is nothing to kick")
        void nothingToKick() {
            assertThat(op.send("KICK #nowhere bob").error()).isEqualTo(ChatErrors.NO_SUCH_ROOM);
            assertThat(op.send("KICK #lobby dave").error()).isEqualTo(ChatErrors.NOT_IN_ROOM);
        }

        @ParameterizedTest(name = "answers {0} with an error")
        @ValueSource(strings = {"KICK", "KICK #lobby", "KICK #lobby bob carol :x", "KICK lobby bob", "KICK #lobby b!b"})
        void badInput(String line) {
            assertThat(op.send(line).error()).isIn(ChatErrors.BAD_ARGUMENT, ChatErrors.BAD_NAME);
        }
    }
}
