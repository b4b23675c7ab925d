package dev.parley.launcher.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.launcher.EchoPluginJar;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin jar built by javac, as a third party would, dropped in plugins/. */
class PluginLayerTest {

    @TempDir
    Path dir;
    Path plugins;

    @BeforeEach
    void buildPlugin() throws Exception {
        plugins = dir.resolve("plugins");
        EchoPluginJar.build(dir, plugins);
    }

    @Test
    @DisplayName("a plugin in plugins/ is found next to the built-in ones, each name once")
    void discovered() {
        PluginCatalog catalog = PluginCatalog.discover(Optional.of(plugins));
        assertThat(catalog.names()).contains("chat", "echo").doesNotHaveDuplicates();
        ParleyPlugin echo = catalog.select(List.of("echo")).get(0);
        assertThat(echo.getClass().getModule().getName()).isEqualTo("test.echo");
        assertThat(echo.getClass().getModule().getLayer()).isNotEqualTo(ModuleLayer.boot());
    }

    @Test
    @DisplayName("a module in plugins/ that requires core but provides no ParleyPlugin is named when its plugin is unknown")
    void missingProvides() throws Exception {
        Path slipped = dir.resolve("slipped");
        EchoPluginJar.build(dir.resolve("slip-work"), slipped, false);
        PluginCatalog catalog = PluginCatalog.discover(Optional.of(slipped));
        assertThat(catalog.names()).doesNotContain("echo");
        assertThatThrownBy(() -> catalog.select(List.of("echo")))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("unknown plugin 'echo'")
                .hasMessageContaining("plugins/ also holds test.echo, which provides no ParleyPlugin")
                .hasMessageContaining("provides dev.parley.core.spi.ParleyPlugin");
    }

    @Test
    @DisplayName("a plugin requiring a JDK module the server did not resolve is told to use --add-modules")
    void jdkModuleHint() {
        // The test JVM resolves every system module, so the layer cannot fail this way here: the message alone.
        String hint = PluginLayer.jdkModuleHint(new java.lang.module.FindException(
                "Module jdk.httpserver not found, required by test.web"));
        assertThat(hint).isEqualTo("; jdk.httpserver is a module of the JDK, which the server resolves only when"
                + " asked: start it with JAVA_OPTS=\"--add-modules jdk.httpserver\"");
        assertThat(PluginLayer.jdkModuleHint(new java.lang.module.FindException(
                "Module test.absent not found, required by test.needy"))).isEmpty();
    }

    @Test
    @DisplayName("its reference.conf joins the reference configuration")
    void referenceConf() {
        PluginCatalog catalog = PluginCatalog.discover(Optional.of(plugins));
        Config reference = ConfigLoader.reference(catalog.classLoaders()).resolve();
        assertThat(reference.getString("parley.echo.greeting")).isEqualTo("hello");
        assertThat(reference.getInt("parley.server.port")).isEqualTo(7878);
    }

    @Test
    @DisplayName("a plugin whose dependency is missing from plugins/ stops start-up naming the dependency")
    void missingDependency() throws Exception {
        Path absent = dir.resolve("absent");
        write(absent.resolve("module-info.java"), "module test.absent { exports test.absent; }\n");
        write(absent.resolve("test/absent/Nothing.java"), "package test.absent; public class Nothing {}\n");
        Path needy = dir.resolve("needy");
        write(needy.resolve("module-info.java"), "module test.needy { requires test.absent; }\n");
        run("javac", "--release", "17", "-d", dir.resolve("absent-classes").toString(),
                absent.resolve("module-info.java").toString(), absent.resolve("test/absent/Nothing.java").toString());
        run("javac", "--release", "17", "-p", dir.resolve("absent-classes").toString(),
                "-d", dir.resolve("needy-classes").toString(), needy.resolve("module-info.java").toString());
        Path broken = Files.createDirectories(dir.resolve("broken"));
        run("jar", "--create", "--file", broken.resolve("needy.jar").toString(),
                "-C", dir.resolve("needy-classes").toString(), ".");

        assertThatThrownBy(() -> PluginCatalog.discover(Optional.of(broken)))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("cannot load the plugins in " + broken)
                .hasMessageContaining("test.absent");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void run(String tool, String... args) {
        EchoPluginJar.run(tool, args);
    }
}
