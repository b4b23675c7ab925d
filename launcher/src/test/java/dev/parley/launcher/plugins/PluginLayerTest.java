package dev.parley.launcher.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds a one-class plugin jar with javac and jar, as a third party would, and drops it in plugins/. */
class PluginLayerTest {

    @TempDir
    Path dir;
    Path plugins;

    @BeforeEach
    void buildPlugin() throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), """
                module test.echo {
                    requires dev.parley.core;
                    provides dev.parley.core.spi.ParleyPlugin with test.echo.EchoPlugin;
                }
                """);
        write(src.resolve("test/echo/EchoPlugin.java"), """
                package test.echo;
                public final class EchoPlugin implements dev.parley.core.spi.ParleyPlugin {
                    @Override public String name() { return "echo"; }
                }
                """);
        Path classes = dir.resolve("classes");
        write(classes.resolve("reference.conf"), "parley.echo { greeting = hello }\n");
        String modulePath = jarOf(ParleyPlugin.class) + java.io.File.pathSeparator + jarOf(Config.class);
        run("javac", "--release", "17", "-p", modulePath, "-d", classes.toString(),
                src.resolve("module-info.java").toString(), src.resolve("test/echo/EchoPlugin.java").toString());
        plugins = Files.createDirectories(dir.resolve("plugins"));
        run("jar", "--create", "--file", plugins.resolve("echo.jar").toString(), "-C", classes.toString(), ".");
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

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void run(String tool, String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true);
        int code = ToolProvider.findFirst(tool).orElseThrow().run(out, out, args);
        assertThat(code).as(tool + " output:\n" + output).isZero();
    }
}
