package dev.parley.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final Config REFERENCE = ConfigLoader.reference(List.of(ConfigLoaderTest.class.getClassLoader()));

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path file = dir.resolve("parley.conf");
        Files.writeString(file, text);
        return file;
    }

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private static Config load(Optional<Path> file, Properties properties) {
        return ConfigLoader.load(REFERENCE, file, properties, ConfigFactory.empty());
    }

    @Nested
    @DisplayName("precedence")
    class Precedence {
        @Test
        @DisplayName("every module's reference.conf supplies the defaults, the launcher's included")
        void referenceDefaults() {
            Config config = load(Optional.empty(), new Properties());
            assertThat(config.getInt("parley.server.port")).isEqualTo(7878);
            assertThat(config.getString("parley.server.name")).isEqualTo("parley");
            assertThat(LauncherSettings.from(config))
                    .isEqualTo(new LauncherSettings(List.of("chat", "filetransfer", "heartbeat"), Duration.ofSeconds(10)));
        }

        @Test
        @DisplayName("the file overrides the reference")
        void fileOverridesReference() throws IOException {
            Config config = load(Optional.of(file("parley.server.port = 1000\nparley.server.name = home")), new Properties());
            assertThat(config.getInt("parley.server.port")).isEqualTo(1000);
            assertThat(config.getString("parley.server.name")).isEqualTo("home");
            assertThat(config.getString("parley.server.host")).isEqualTo("127.0.0.1");
        }

        @Test
        @DisplayName("a system property overrides the file")
        void systemPropertyOverridesFile() throws IOException {
            Config config = load(Optional.of(file("parley.server.port = 1000\nparley.server.name = home")),
                    properties("parley.server.port", "2000"));
            assertThat(config.getInt("parley.server.port")).isEqualTo(2000);
            assertThat(config.getString("parley.server.name")).isEqualTo("home");
        }

        @Test
        @DisplayName("a command-line flag overrides the system property")
        void flagOverridesSystemProperty() {
            Config flags = ConfigFactory.empty().withValue("parley.server.port", ConfigValueFactory.fromAnyRef(3000));
            Config config = ConfigLoader.load(REFERENCE, Optional.empty(), properties("parley.server.port", "2000"), flags);
            assertThat(config.getInt("parley.server.port")).isEqualTo(3000);
        }
    }

    @Nested
    @DisplayName("a file of comments only (the shipped conf/parley.conf)")
    class CommentsOnly {
        @Test
        @DisplayName("is recognised, without the parser, as the empty object HOCON makes of it")
        void recognised() throws IOException {
            String text = "# a comment\n\n   # indented\r\n// another\n\t//tab\n#parley.server.port = 1\n";
            Path file = file(text);
            assertThat(ConfigLoader.onlyCommentsAndBlankLines(file)).isTrue();
            assertThat(ConfigFactory.parseString(text).isEmpty()).isTrue();
            assertThat(ConfigLoader.parse(Optional.of(file)).isEmpty()).isTrue();
            assertThat(load(Optional.of(file), new Properties())).isEqualTo(load(Optional.empty(), new Properties()));
            assertThat(ConfigLoader.onlyCommentsAndBlankLines(file(""))).isTrue();
        }

        @Test
        @DisplayName("anything else goes through the parser: a key, an include, a syntax error, other whitespace")
        void otherwiseParsed() throws IOException {
            assertThat(ConfigLoader.onlyCommentsAndBlankLines(file("# port\nparley.server.port = 1000\n"))).isFalse();
            assertThat(load(Optional.of(file("# port\nparley.server.port = 1000\n")), new Properties())
                    .getInt("parley.server.port")).isEqualTo(1000);
            assertThat(ConfigLoader.onlyCommentsAndBlankLines(file("include \"other.conf\"\n"))).isFalse();
            assertThat(ConfigLoader.onlyCommentsAndBlankLines(file("# a\n{\n"))).isFalse();
            assertThatThrownBy(() -> load(Optional.of(file("# a\n{\n")), new Properties()))
                    .isInstanceOf(ConfigException.class);
            assertThat(ConfigLoader.onlyCommentsAndBlankLines(file("/ not a comment\n"))).isFalse();
            assertThat(ConfigLoader.onlyCommentsAndBlankLines(file("\u00a0# after a no-break space\n"))).isFalse();
        }

        @Test
        @DisplayName("agrees with the parser on the edges: a lone CR, a byte that is not UTF-8 in a comment")
        void edges() throws IOException {
            // HOCON ends a comment at LF only, so the key after the CR is part of the comment.
            for (byte[] bytes : List.of("# a\rparley.server.port = 1\n".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {'#', ' ', (byte) 0xE9, '\n'})) {
                Path file = Files.write(dir.resolve("edge.conf"), bytes);
                assertThat(ConfigLoader.onlyCommentsAndBlankLines(file)).isTrue();
                assertThat(ConfigFactory.parseFile(file.toFile()).isEmpty()).isTrue();
            }
        }
    }

    @Nested
    @DisplayName("system properties")
    class SystemProperties {
        @Test
        @DisplayName("-Dparley.plugins=[] is an empty list, [a, b] a list")
        void listsAreHocon() {
            assertThat(load(Optional.empty(), properties("parley.plugins", "[]")).getStringList("parley.plugins")).isEmpty();
            assertThat(load(Optional.empty(), properties("parley.plugins", "[heartbeat, chat]"))
                    .getStringList("parley.plugins")).containsExactly("heartbeat", "chat");
        }

        @Test
        @DisplayName("a list may also be given element by element, as Typesafe Config allows")
        void indexedList() {
            assertThat(load(Optional.empty(), properties("parley.plugins.0", "heartbeat", "parley.plugins.1", "chat"))
                    .getStringList("parley.plugins")).containsExactly("heartbeat", "chat");
        }

        @Test
        @DisplayName("parley.home and properties outside parley are not configuration")
        void homeIgnored() {
            Config config = load(Optional.empty(), properties("parley.home", "/opt/parley", "user.dir", "/"));
            assertThat(config.hasPath("parley.home")).isFalse();
        }
    }

    @Nested
    @DisplayName("errors name the key")
    class Errors {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "parley.plugins = chat                    | parley.plugins",
                "parley.server { port { a = 1 } }         | parley.server.port",
                "parley.server.prot = 7000                | unknown key 'parley.server.prot'",
                "parley.limits.max-connection = 3         | unknown key 'parley.limits.max-connection'",
        })
        @DisplayName("a mistyped or misspelt key fails loading")
        void badFile(String text, String expected) throws IOException {
            Path file = file(text);
            assertThatThrownBy(() -> load(Optional.of(file), new Properties()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(expected)
                    .hasMessageContaining(file.toString());
        }

        @Test
        @DisplayName("an unknown -Dparley key names the system property")
        void unknownSystemProperty() {
            assertThatThrownBy(() -> load(Optional.empty(), properties("parley.chat.histroy-size", "3")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("-Dparley.chat.histroy-size")
                    .hasMessageContaining("unknown key 'parley.chat.histroy-size'");
        }

        @Test
        @DisplayName("a value of the right type but wrong form fails when read, naming the key")
        void badDuration() {
            Config config = load(Optional.empty(), properties("parley.server.shutdown-timeout", "soon"));
            assertThatThrownBy(() -> LauncherSettings.from(config))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("parley.server.shutdown-timeout");
        }

        @Test
        @DisplayName("a plugin named twice in parley.plugins is refused")
        void duplicatePlugin() {
            Config config = load(Optional.empty(), properties("parley.plugins", "[chat, chat]"));
            assertThatThrownBy(() -> LauncherSettings.from(config))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("parley.plugins names 'chat' twice");
        }

        @Test
        @DisplayName("a missing --config file is named")
        void missingFile() {
            Path missing = dir.resolve("nope.conf");
            assertThatThrownBy(() -> load(Optional.of(missing), new Properties()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(missing.toString());
        }
    }

    @Test
    @DisplayName("parley.chat.history-size, which the store replaced, stops start-up naming the keys that replace it")
    void retiredHistorySize() {
        assertThatThrownBy(() -> load(Optional.empty(), properties("parley.chat.history-size", "100")))
                .isInstanceOf(com.typesafe.config.ConfigException.class)
                .hasMessageContaining("parley.chat.history-size")
                .hasMessageContaining("parley.chat.history-page")
                .hasMessageContaining("parley.store.retention");
    }
}
