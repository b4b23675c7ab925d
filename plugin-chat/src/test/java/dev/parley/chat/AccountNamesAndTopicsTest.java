package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.store.MemoryMessageStore;
import dev.parley.testkit.EmbeddedServer;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Over real sockets, with the real auth plugin and a store kept across a restart (a second server over the same
 * store): names of created accounts are reserved against lookalike nicks, and a room's topic and settings
 * outlive the server.
 */
@DisplayName("created accounts' names against lookalike nicks; topics and settings across a restart")
class AccountNamesAndTopicsTest {
    private static final String AUTH = "parley.auth { registration = open, failure-delay = 0s }";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final MemoryMessageStore store = new MemoryMessageStore(1000);

    /** Offers the message store and its account store, as the launcher does for parley.store.url. */
    private record Stores(MessageStore store) implements ParleyPlugin {
        @Override
        public String name() {
            return "store";
        }

        @Override
        public void start(PluginContext context) {
            context.provide(MessageStore.class, store);
            store.accounts().ifPresent(accounts -> context.provide(AccountStore.class, accounts));
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private EmbeddedServer server() throws IOException {
        EmbeddedServer server = EmbeddedServer.start(ConfigFactory.parseString(AUTH), new Stores(store),
                ParleyTestKit.findPlugin("auth"), new ChatPlugin());
        open.add(server);
        return server;
    }

    private LineClient client(EmbeddedServer server) throws IOException {
        LineClient c = server.connect();
        open.add(c);
        return c;
    }

    private static String ask(LineClient c, String line) {
        return c.command(line).reply();
    }

    @Test
    @DisplayName("a nick that looks like a REGISTERed account's name is refused to others, before and after a restart")
    void lookalikesOfCreatedAccounts() throws IOException {
        EmbeddedServer first = server();
        LineClient alice = client(first);
        assertThat(ask(alice, "REGISTER alice :a long passphrase")).isEqualTo("OK REGISTER alice");
        LineClient mallory = client(first);
        // Cyrillic а (U+0430) for the Latin a; then the same name with capitals.
        assertThat(ask(mallory, "NICK \u0430lice")).startsWith("ERR NICK NICK_RESERVED").contains("alice");
        assertThat(ask(mallory, "NICK ALICE")).startsWith("ERR NICK NICK_RESERVED");
        assertThat(ask(mallory, "NICK al1ce")).startsWith("OK NICK");
        first.close();

        EmbeddedServer second = server();
        LineClient eve = client(second);
        assertThat(ask(eve, "NICK \u0430lice")).startsWith("ERR NICK NICK_RESERVED").contains("alice");
        LineClient back = client(second);
        assertThat(ask(back, "AUTH alice :a long passphrase")).isEqualTo("OK AUTH alice");
        assertThat(ask(back, "NICK alice")).startsWith("OK NICK alice");
    }

    @Test
    @DisplayName("a room's topic and its settings are there again after a restart; a cleared topic stays cleared")
    void topicAndSettingsSurvive() throws IOException {
        EmbeddedServer first = server();
        LineClient alice = client(first);
        assertThat(ask(alice, "REGISTER alice :a long passphrase")).isEqualTo("OK REGISTER alice");
        ask(alice, "NICK alice");
        assertThat(ask(alice, "JOIN #club")).isEqualTo("OK JOIN #club");
        assertThat(ask(alice, "JOIN #quiet")).isEqualTo("OK JOIN #quiet");
        assertThat(ask(alice, "CLAIM #club")).isEqualTo("OK CLAIM #club");
        assertThat(ask(alice, "SET #club moderated on")).startsWith("OK SET #club");
        assertThat(ask(alice, "TOPIC #club :members only, be kind")).startsWith("OK TOPIC");
        assertThat(ask(alice, "TOPIC #quiet :soon gone")).startsWith("OK TOPIC");
        assertThat(ask(alice, "TOPIC #quiet :")).startsWith("OK TOPIC");
        first.close();

        EmbeddedServer second = server();
        LineClient bob = client(second);
        ask(bob, "NICK bob");
        assertThat(ask(bob, "JOIN #club")).isEqualTo("OK JOIN #club");
        assertThat(ask(bob, "TOPIC #club")).isEqualTo("OK TOPIC #club :members only, be kind");
        assertThat(bob.command("SETTINGS #club").lines()).contains("SETTING #club moderated on");
        assertThat(ask(bob, "SAY #club :hello")).startsWith("ERR SAY MODERATED");
        assertThat(ask(bob, "JOIN #quiet")).isEqualTo("OK JOIN #quiet");
        assertThat(ask(bob, "TOPIC #quiet")).isEqualTo("OK TOPIC #quiet");
    }
}
