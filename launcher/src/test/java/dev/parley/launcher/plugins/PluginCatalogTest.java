package dev.parley.launcher.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.spi.ParleyPlugin;
import dev.parley.launcher.LaunchException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PluginCatalogTest {

    private record Named(String name) implements ParleyPlugin {
    }

    private record Other(String name) implements ParleyPlugin {
    }

    private final Named chat = new Named("chat");
    private final Named files = new Named("filetransfer");
    private final Named heartbeat = new Named("heartbeat");
    private final PluginCatalog catalog = new PluginCatalog(List.of(chat, files, heartbeat), List.of());

    @Nested
    @DisplayName("select")
    class Select {
        @Test
        @DisplayName("returns the named plugins in parley.plugins order")
        void order() {
            assertThat(catalog.select(List.of("heartbeat", "chat"))).containsExactly(heartbeat, chat);
        }

        @Test
        @DisplayName("an empty list selects no plugin")
        void none() {
            assertThat(catalog.select(List.of())).isEmpty();
        }

        @Test
        @DisplayName("an unknown name stops start-up, naming it and the available plugins")
        void unknown() {
            assertThatThrownBy(() -> catalog.select(List.of("chat", "foo")))
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("unknown plugin 'foo' in parley.plugins; available: chat, filetransfer, heartbeat")
                    .extracting(e -> ((LaunchException) e).exitCode()).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("de-duplication")
    class Dedupe {
        @Test
        @DisplayName("the first plugin found under a name wins: the boot layer's over the plugins/ layer's")
        void firstWins() {
            Other second = new Other("chat");
            PluginCatalog twice = new PluginCatalog(List.of(chat, files, second, chat), List.of());
            assertThat(twice.names()).containsExactly("chat", "filetransfer");
            assertThat(twice.select(List.of("chat"))).containsExactly(chat);
        }
    }

    @Test
    @DisplayName("discovers the built-in plugins on the module path")
    void builtIn() {
        PluginCatalog discovered = PluginCatalog.discover(Optional.empty());
        assertThat(discovered.names()).contains("chat", "filetransfer", "heartbeat");
        assertThat(discovered.classLoaders()).hasSize(1);
    }
}
