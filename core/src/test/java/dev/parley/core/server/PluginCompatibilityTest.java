package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.SpiVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PluginCompatibilityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("the SPI version is read from the build metadata of core's module version")
    @CsvSource(nullValues = "none", value = {
        "0.1.0+spi.1.0, 1.0",
        "0.1.0-SNAPSHOT+spi.1.0, 1.0",
        "2.3.4+spi.12.7, 12.7",
        "0.1.0+build.5.spi.2.1, 2.1",
        "0.1.0, none",
        "0.1.0-spi.1.0, none",
        "0.1.0+spi.x, none",
        "0.1.0+spi.0.1, none",
    })
    void spiOfCoreVersion(String coreVersion, String spi) {
        assertThat(PluginCompatibility.spiOf(coreVersion)).isEqualTo(Optional.ofNullable(spi).map(SpiVersion::parse));
    }

    @Test
    @DisplayName("the refusal names the plugin, both SPI versions and the core line to rebuild against")
    void message() {
        assertThat(PluginCompatibility.refusal("dice", SpiVersion.parse("2.0"), SpiVersion.parse("1.0"),
                PluginCompatibility.lineOf("0.1.3-SNAPSHOT+spi.1.0")))
                .isEqualTo("plugin 'dice' was built for Parley SPI 2.0 but this server has SPI 1.0; "
                        + "rebuild it against parley-core 0.1.x");
    }

    @Test
    @DisplayName("core's module version carries SpiVersion.CURRENT (pom property and constant agree)")
    void coreModuleVersion() {
        var descriptor = ServerCore.class.getModule().getDescriptor();
        assumeThat(descriptor).as("core runs as a named module").isNotNull();
        assertThat(descriptor.rawVersion()).as("core's module version").isPresent();
        assertThat(PluginCompatibility.spiOf(descriptor.rawVersion().get())).contains(SpiVersion.CURRENT);
    }

    /** Plugins compiled here against a stub core whose module version claims some SPI, then loaded in a layer. */
    @Nested
    @DisplayName("at start-up, a plugin compiled against")
    class StartUp {
        @TempDir
        Path dir;

        @Test
        @DisplayName("another SPI major is refused, naming the plugin and both versions")
        void otherMajor() throws Exception {
            ParleyPlugin plugin = compileAndLoad("0.9.0+spi.2.0", "future");
            ServerCore core = newCore(plugin);
            try {
                assertThatThrownBy(core::start).isInstanceOf(StartupException.class)
                        .hasMessageStartingWith("plugin 'future' was built for Parley SPI 2.0 but this server has SPI "
                                + SpiVersion.CURRENT + "; rebuild it against parley-core ");
            } finally {
                core.shutdown(Duration.ofSeconds(1));
            }
        }

        @Test
        @DisplayName("a newer minor of the same major is refused")
        void newerMinor() throws Exception {
            SpiVersion newer = new SpiVersion(SpiVersion.CURRENT.major(), SpiVersion.CURRENT.minor() + 1);
            ParleyPlugin plugin = compileAndLoad("0.1.9+spi." + newer, "newer");
            ServerCore core = newCore(plugin);
            try {
                assertThatThrownBy(core::start).isInstanceOf(StartupException.class)
                        .hasMessageContaining("plugin 'newer' was built for Parley SPI " + newer);
            } finally {
                core.shutdown(Duration.ofSeconds(1));
            }
        }

        @Test
        @DisplayName("this server's SPI starts")
        void same() throws Exception {
            ParleyPlugin plugin = compileAndLoad("0.1.0+spi." + SpiVersion.CURRENT, "current");
            assertThat(PluginCompatibility.builtFor(plugin.getClass())).contains(SpiVersion.CURRENT);
            ServerCore core = newCore(plugin);
            try {
                core.start();
                assertThat(core.pluginNames()).containsExactly("current");
            } finally {
                core.shutdown(Duration.ofSeconds(1));
            }
        }

        private ServerCore newCore(ParleyPlugin plugin) {
            return new ServerCore(new CoreSettings("parley", 1, 8), ConfigFactory.load(), List.of(plugin), "test");
        }

        /**
         * Compiles a one-interface stub of core with the given module version, a plugin module against it,
         * and loads the plugin in a layer over the running (real) core.
         */
        private ParleyPlugin compileAndLoad(String stubCoreVersion, String pluginName) throws IOException {
            ModuleLayer parent = ServerCore.class.getModule().getLayer();
            assumeThat(parent).as("core runs as a named module").isNotNull();
            Path stubSrc = write(dir.resolve("stub-src"), Map.of(
                    "module-info.java", "module dev.parley.core { exports dev.parley.core.spi; }",
                    "dev/parley/core/spi/ParleyPlugin.java",
                    "package dev.parley.core.spi; public interface ParleyPlugin { String name(); }"));
            Path stub = dir.resolve("stub");
            javac("--module-version", stubCoreVersion, "-d", stub.toString(),
                    stubSrc.resolve("module-info.java").toString(),
                    stubSrc.resolve("dev/parley/core/spi/ParleyPlugin.java").toString());
            Path pluginSrc = write(dir.resolve("plugin-src"), Map.of(
                    "module-info.java", "module fake." + pluginName + " { requires dev.parley.core; "
                            + "provides dev.parley.core.spi.ParleyPlugin with fake.FakePlugin; }",
                    "fake/FakePlugin.java", "package fake; public class FakePlugin implements "
                            + "dev.parley.core.spi.ParleyPlugin { public String name() { return \"" + pluginName + "\"; } }"));
            Path classes = dir.resolve("plugin");
            javac("--module-path", stub.toString(), "-d", classes.toString(),
                    pluginSrc.resolve("module-info.java").toString(), pluginSrc.resolve("fake/FakePlugin.java").toString());

            Configuration cf = parent.configuration()
                    .resolveAndBind(ModuleFinder.of(), ModuleFinder.of(classes), Set.of("fake." + pluginName));
            ModuleLayer layer = parent.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
            return ServiceLoader.load(layer, ParleyPlugin.class).stream()
                    .filter(p -> p.type().getModule().getLayer() == layer)
                    .map(ServiceLoader.Provider::get)
                    .findFirst().orElseThrow();
        }

        private Path write(Path root, Map<String, String> files) throws IOException {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            return root;
        }

        private void javac(String... args) {
            ToolProvider javac = ToolProvider.findFirst("javac")
                    .orElseThrow(() -> new AssertionError("these tests need a JDK (javac)"));
            List<String> all = new ArrayList<>(List.of("--release", "17", "-proc:none"));
            all.addAll(List.of(args));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            int rc = javac.run(print, print, all.toArray(String[]::new));
            assertThat(rc).as("javac %s%n%s", all, out.toString(StandardCharsets.UTF_8)).isZero();
        }
    }
}
