package dev.parley.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.server.ServerCore;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.plugins.PluginCatalog;
import dev.parley.transport.mina.TransportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerAssemblyTest {
    private final PluginCatalog catalog = PluginCatalog.discover(Optional.empty());

    @TempDir
    Path tmp;

    private Injector injector(String plugins) {
        Properties properties = new Properties();
        properties.setProperty("parley.plugins", plugins);
        properties.setProperty("parley.server.port", "0");
        // In-process servers keep nothing: the default SQLite file would outlive the test and leak into the next.
        properties.setProperty("parley.store.url", "memory:");
        properties.setProperty("parley.http.port", "0");
        Config config = load(properties);
        LauncherSettings settings = LauncherSettings.from(config);
        return Guice.createInjector(ServerAssembly.modules(config, settings, catalog.select(settings.plugins())));
    }

    private Config load(Properties properties) {
        return ConfigLoader.load(ConfigLoader.reference(catalog.classLoaders()), Optional.empty(), properties,
                ConfigFactory.empty());
    }

    @Test
    @DisplayName("a bad server or transport setting fails the assembly before the store is opened (no file made)")
    void settingsBeforeStore() {
        Path database = tmp.resolve("data/parley.db");
        for (String[] bad : List.of(new String[] {"parley.server.worker-threads", "-1"},
                new String[] {"parley.limits.max-connections", "-5"})) {
            Properties properties = new Properties();
            properties.setProperty("parley.plugins", "[chat]");
            properties.setProperty("parley.server.port", "0");
            properties.setProperty("parley.store.url", "jdbc:sqlite:" + database);
            properties.setProperty(bad[0], bad[1]);
            Config config = load(properties);
            LauncherSettings settings = LauncherSettings.from(config);
            assertThatThrownBy(() -> ServerAssembly.build(config, settings, catalog.select(settings.plugins())))
                    .isInstanceOf(CreationException.class).hasMessageContaining(bad[0]);
            assertThat(tmp.resolve("data")).as(bad[0]).doesNotExist();
        }
    }

    @Test
    @DisplayName("core runs the chosen plugins in parley.plugins order")
    void pluginOrder() {
        assertThat(injector("[heartbeat, chat]").getInstance(ServerCore.class).pluginNames())
                .containsExactly("heartbeat", "chat");
    }

    @Test
    @DisplayName("parley.plugins = [] assembles a server with no plugins")
    void noPlugins() {
        assertThat(injector("[]").getInstance(ServerCore.class).pluginNames()).isEmpty();
    }

    @Test
    @DisplayName("settings records are read from the configuration, one instance each")
    void settings() {
        Injector injector = injector("[]");
        assertThat(injector.getInstance(TransportSettings.class).port()).isZero();
        assertThat(injector.getInstance(ServerCore.class)).isSameAs(injector.getInstance(ServerCore.class));
        assertThat(injector.getInstance(ParleyServer.class)).isSameAs(injector.getInstance(ParleyServer.class));
    }
}
