package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import java.lang.module.ModuleDescriptor;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatPluginTest {
    private final ChatHarness chat = new ChatHarness();

    @Test
    @DisplayName("offers NICK, TELL, JOIN, PART, SAY, TOPIC, WHO, ROOMS, HISTORY and the room moderation verbs, each with a summary; KICK only with accounts")
    void commands() {
        assertThat(chat.commands().keySet())
                .containsExactlyInAnyOrder("NICK", "TELL", "JOIN", "PART", "SAY", "TOPIC", "WHO", "ROOMS", "HISTORY",
                        "CLAIM", "GRANT", "BAN", "UNBAN", "BANS", "SETTINGS", "SET", "INVITE");
        assertThat(chat.commands().values()).allSatisfy(c -> assertThat(c.summary()).isNotBlank());
        chat.provide(dev.parley.core.spi.Accounts.class, new TestAccounts(java.util.Set.of("root"), java.util.Set.of("root")));
        assertThat(chat.commands()).containsKey("KICK");
    }

    @Test
    @DisplayName("in a cluster, SAY waits as long as parley.cluster.operation-timeout says, 5 s without it")
    void appendTimeoutFromClusterSettings() {
        assertThat(ChatPlugin.appendTimeout(ConfigFactory.parseString("cluster.operation-timeout = 12s")))
                .isEqualTo(Duration.ofSeconds(12));
        assertThat(ChatPlugin.appendTimeout(ConfigFactory.empty())).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("only NICK is usable before registration")
    void registration() {
        assertThat(chat.commands().values()).filteredOn(c -> !c.requiresRegistration())
                .extracting(Command::verb).containsExactly("NICK");
    }

    @ParameterizedTest(name = "{0} before NICK answers NOT_REGISTERED")
    @ValueSource(strings = {"TELL bob :hi", "JOIN #a", "PART #a", "SAY #a :hi", "TOPIC #a", "WHO #a", "ROOMS",
            "HISTORY #a"})
    void notRegistered(String line) {
        chat.registered("bob");
        assertThat(chat.connect().send(line).error()).isEqualTo(ErrorCode.NOT_REGISTERED);
    }

    @ParameterizedTest(name = "{0} from a session another plugin registered, without a chat nick, answers NOT_REGISTERED")
    @ValueSource(strings = {"TELL bob :hi", "JOIN #a", "PART #a", "SAY #a :hi", "TOPIC #a :x", "HISTORY #a"})
    void registeredElsewhere(String line) {
        chat.registered("bob").ok("JOIN #a");
        ChatHarness.Client ghost = chat.connect();
        ghost.session().register("ghost");
        assertThat(ghost.send(line).error()).isEqualTo(ErrorCode.NOT_REGISTERED);
    }

    @Test
    @DisplayName("is offered to ServiceLoader by its module, under the name chat")
    void serviceLoader() {
        ModuleDescriptor module = ChatPlugin.class.getModule().getDescriptor();
        assertThat(module).as("tests run on the module path").isNotNull();
        assertThat(module.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(ParleyPlugin.class.getName());
            assertThat(p.providers()).containsExactly(ChatPlugin.class.getName());
        });
        assertThat(new ChatPlugin().name()).isEqualTo("chat");
    }
}
