package dev.parley.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.plugins.PluginCatalog;
import dev.parley.testkit.LineClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #23's acceptance over the assembled server (auth and chat plugins, the SQLite store), real sockets:
 * accounts created with REGISTER and a room's ownership, key and bans outlive a restart.
 */
class AccountsAcrossRestartTest {
    private final PluginCatalog catalog = PluginCatalog.discover(Optional.empty());
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private InetSocketAddress start() throws IOException {
        Properties properties = new Properties();
        properties.setProperty("parley.server.port", "0");
        properties.setProperty("parley.server.host", "127.0.0.1");
        properties.setProperty("parley.plugins", "[chat, auth]");
        properties.setProperty("parley.store.url", "jdbc:sqlite:" + dir.resolve("parley.db"));
        properties.setProperty("parley.auth.registration", "open");
        properties.setProperty("parley.auth.failure-delay", "0s");
        Config config = ConfigLoader.load(ConfigLoader.reference(catalog.classLoaders()), Optional.empty(), properties,
                ConfigFactory.empty());
        LauncherSettings settings = LauncherSettings.from(config);
        ParleyServer server = ServerAssembly.build(config, settings, catalog.select(settings.plugins()));
        InetSocketAddress address = server.start();
        open.add(server::shutdown);
        return address;
    }

    private LineClient client(InetSocketAddress address) throws IOException {
        LineClient c = LineClient.connect(address);
        open.add(c);
        c.hello();
        return c;
    }

    private static String ask(LineClient c, String line) {
        return c.command(line).reply();
    }

    @Test
    @DisplayName("accounts registered before a restart AUTH after it; alice's room keeps its owner, op, key and ban")
    void survivesRestart() throws Exception {
        InetSocketAddress first = start();
        LineClient alice = client(first);
        assertThat(ask(alice, "REGISTER alice :alice's passphrase")).isEqualTo("OK REGISTER alice");
        assertThat(ask(client(first), "REGISTER bob :bob's passphrase")).isEqualTo("OK REGISTER bob");
        assertThat(ask(client(first), "REGISTER carol :carol's passphrase")).isEqualTo("OK REGISTER carol");
        LineClient mallory = client(first);
        assertThat(ask(mallory, "REGISTER mallory :mallory's passphrase")).isEqualTo("OK REGISTER mallory");
        ask(alice, "NICK alice");
        ask(alice, "JOIN #club");
        assertThat(ask(alice, "CLAIM #club")).isEqualTo("OK CLAIM #club");
        assertThat(ask(alice, "SET #club key s3cret")).isEqualTo("OK SET #club key on");
        assertThat(ask(alice, "GRANT #club bob op")).isEqualTo("OK GRANT #club bob op");
        assertThat(ask(alice, "BAN #club mallory :spam")).isEqualTo("OK BAN #club account:mallory");
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();

        InetSocketAddress second = start();
        LineClient bob = client(second);
        assertThat(ask(bob, "AUTH bob :bob's passphrase")).isEqualTo("OK AUTH bob");
        ask(bob, "NICK bob");
        assertThat(ask(bob, "JOIN #club")).as("an op needs no key").isEqualTo("OK JOIN #club");
        LineClient carol = client(second);
        assertThat(ask(carol, "AUTH carol :carol's passphrase")).isEqualTo("OK AUTH carol");
        ask(carol, "NICK carol");
        assertThat(ask(carol, "JOIN #club")).startsWith("ERR JOIN BAD_KEY");
        assertThat(ask(carol, "JOIN #club s3cret")).isEqualTo("OK JOIN #club");
        LineClient mal = client(second);
        assertThat(ask(mal, "AUTH mallory :mallory's passphrase")).isEqualTo("OK AUTH mallory");
        ask(mal, "NICK someone_else");
        assertThat(ask(mal, "JOIN #club s3cret")).startsWith("ERR JOIN BANNED");
        LineClient alice2 = client(second);
        assertThat(ask(alice2, "AUTH alice :alice's passphrase")).isEqualTo("OK AUTH alice");
        ask(alice2, "NICK alice");
        ask(alice2, "JOIN #club s3cret");
        assertThat(alice2.command("WHO #club").lines()).contains("MEMBER #club bob op", "MEMBER #club alice owner");
    }
}
