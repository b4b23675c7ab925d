package dev.parley.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.launcher.Version;
import dev.parley.launcher.config.AuthGate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line in-process; only failures that stop before the server listens are tested here. */
class ParleyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int parley(String... args) {
        CommandLine commandLine = ParleyCommand.commandLine(args); // as Main builds it
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private String config(String text) throws IOException {
        Path file = dir.resolve("parley.conf");
        Files.writeString(file, text);
        return file.toString();
    }

    @Test
    @DisplayName("a named subcommand is built alone; help, typos and no subcommand get them all, each under its own name")
    void subcommandsBuilt() {
        CommandLine all = ParleyCommand.commandLine();
        assertThat(all.getSubcommands().keySet()).containsExactlyElementsOf(ParleyCommand.SUBCOMMANDS.keySet());
        ParleyCommand.SUBCOMMANDS.forEach((name, type) ->
                assertThat((Object) all.getSubcommands().get(name).getCommand()).isInstanceOf(type));
        assertThat(ParleyCommand.commandLine(new String[] {"server", "--port", "0"}).getSubcommands().keySet())
                .containsExactly("server");
        assertThat(ParleyCommand.commandLine(new String[] {"help", "server"}).getSubcommands())
                .hasSameSizeAs(ParleyCommand.SUBCOMMANDS);
        assertThat(ParleyCommand.commandLine(new String[] {"srever"}).getSubcommands()).hasSameSizeAs(ParleyCommand.SUBCOMMANDS);
        assertThat(ParleyCommand.commandLine(new String[0]).getSubcommands()).hasSameSizeAs(ParleyCommand.SUBCOMMANDS);
    }

    @Nested
    @DisplayName("usage")
    class Usage {
        @Test
        @DisplayName("--version prints the version and exits 0")
        void version() {
            assertThat(parley("--version")).isZero();
            assertThat(out.toString()).startsWith("Parley " + Version.get() + System.lineSeparator());
        }

        @Test
        @DisplayName("--help lists the server subcommand")
        void help() {
            assertThat(parley("--help")).isZero();
            assertThat(out.toString()).contains("server", "Usage: parley");
        }

        @Test
        @DisplayName("--help gives every subcommand a whole sentence as its summary")
        void summariesAreSentences() {
            assertThat(parley("--help")).isZero();
            String commands = out.toString().substring(out.toString().indexOf("Commands:"));
            for (String name : ParleyCommand.SUBCOMMANDS.keySet()) {
                java.util.regex.Matcher entry = java.util.regex.Pattern.compile("\\n  " + java.util.regex.Pattern.quote(name)
                        + " +(.+(?:\\n {4,}.+)*)").matcher(commands);
                assertThat(entry.find()).as(name).isTrue();
                assertThat(entry.group(1).strip()).as(name).endsWith(".");
            }
        }

        @Test
        @DisplayName("an unknown subcommand exits 2 with picocli's message")
        void unknownSubcommand() {
            assertThat(parley("frobnicate")).isEqualTo(2);
            assertThat(err.toString()).contains("Unmatched argument at index 0: 'frobnicate'");
        }

        @Test
        @DisplayName("an unknown option exits 2 with picocli's message")
        void unknownOption() {
            assertThat(parley("server", "--prot")).isEqualTo(2);
            assertThat(err.toString()).contains("Unknown option: '--prot'");
        }

        @Test
        @DisplayName("a usage error prints the error and a one-line hint, not the whole usage text")
        void usageErrorIsShort() {
            assertThat(parley("server", "--port")).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("parley: Missing required parameter for option '--port' (N)"
                    + System.lineSeparator() + "Try 'parley server --help' for more information."
                    + System.lineSeparator());
        }

        @Test
        @DisplayName("a mistyped subcommand gets the suggestion and the hint, without the usage text")
        void typoSuggests() {
            assertThat(parley("srever")).isEqualTo(2);
            assertThat(err.toString()).contains("'srever'").contains("server")
                    .contains("Try 'parley --help' for more information.").doesNotContain("Usage:");
            assertThat(err.toString().lines().count()).isLessThan(8);
        }

        @Test
        @DisplayName("no subcommand exits 2")
        void noSubcommand() {
            assertThat(parley()).isEqualTo(2);
            assertThat(err.toString()).contains("Missing required subcommand");
        }
    }

    @Nested
    @DisplayName("server start-up failures: one line, exit 2")
    class StartupFailures {
        @Test
        @DisplayName("an unknown plugin is named with the available ones")
        void unknownPlugin() throws IOException {
            assertThat(parley("server", "--config", config("parley.plugins = [chat, foo]"))).isEqualTo(2);
            assertThat(err.toString()).isEqualTo(
                    "parley: unknown plugin 'foo' in parley.plugins; available: auth, chat, filetransfer, heartbeat"
                            + System.lineSeparator());
        }

        @Test
        @DisplayName("a value a settings record cannot read names the key, without a stack trace")
        void badValue() throws IOException {
            assertThat(parley("server", "--config", config("parley.server.port = seven"))).as(err::toString).isEqualTo(2);
            assertThat(err.toString()).startsWith("parley: configuration error: ").contains("parley.server.port")
                    .doesNotContain("\tat ").hasLineCount(1);
        }

        @Test
        @DisplayName("a value of the wrong type names the key, what was found and the allowed range from reference.conf")
        void wrongType() throws IOException {
            String file = config("parley.server.port = \"abc\"");
            assertThat(parley("server", "--config", file)).as(err::toString).isEqualTo(2);
            assertThat(err.toString()).startsWith("parley: configuration error: ").contains(file)
                    .contains("parley.server.port: expected a number, not \"abc\"").contains("0 to 65535")
                    .contains("default 7878").hasLineCount(1);
        }

        @Test
        @DisplayName("--config naming a directory says it is a directory")
        void configIsDirectory() {
            assertThat(parley("server", "--config", dir.toString())).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("parley: configuration error: configuration file " + dir
                    + " is a directory; give the path of a HOCON file, e.g. " + dir.resolve("parley.conf")
                    + System.lineSeparator());
        }

        @Test
        @DisplayName("a flag out of range names the key")
        void portOutOfRange() {
            assertThat(parley("server", "--port", "70000")).as(err::toString).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("parley: configuration error: parley.server.port must be between "
                    + "0 and 65535" + System.lineSeparator());
        }

        @Test
        @DisplayName("parley.auth.required without the auth plugin refuses to start and says to add it")
        void authRequiredWithoutPlugin() throws IOException {
            assertThat(parley("server", "--port", "0", "--config", config("""
                    parley.plugins = [chat]
                    parley.auth.required = true
                    """))).as(err::toString).isEqualTo(2);
            assertThat(err.toString()).contains("parley.auth.required is true", "add auth to parley.plugins")
                    .hasLineCount(1);
        }

        @Test
        @DisplayName("any parley.auth value of the operator's without the auth plugin refuses to start")
        void authSettingWithoutPlugin() throws IOException {
            assertThat(parley("server", "--port", "0", "--config", config("""
                    parley.plugins = [chat]
                    parley.auth.max-failures = 3
                    """))).as(err::toString).isEqualTo(2);
            assertThat(err.toString()).contains("parley.auth is set", "add auth to parley.plugins");
        }

        @Test
        @DisplayName("a parley.auth default spelt out in the file configures nothing: the gate lets the server build")
        void authDefaultWithoutPlugin() {
            Config reference = ConfigFactory.parseString("parley.auth { required = false, max-failures = 5 }");
            Config config = ConfigFactory.parseString("parley.auth.required = false").withFallback(reference).resolve();
            AuthGate.check(config, reference, List.of("chat"));
            Config set = ConfigFactory.parseString("parley.auth.max-failures = 6").withFallback(reference).resolve();
            assertThatThrownBy(() -> AuthGate.check(set, reference, List.of("chat")))
                    .hasMessageContaining("add auth to parley.plugins");
            AuthGate.check(set, reference, List.of("auth", "chat"));
        }

        @Test
        @DisplayName("a misspelt key in the file is named with the file")
        void unknownKey() throws IOException {
            String file = config("parley.server.prot = 7000");
            assertThat(parley("server", "--config", file)).isEqualTo(2);
            assertThat(err.toString()).startsWith("parley: configuration error: ").contains(file)
                    .contains("unknown key 'parley.server.prot'");
        }
    }
}
