package dev.parley.launcher.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.auth.password.PasswordHash;
import dev.parley.launcher.cli.ParleyCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code parley hash-password} with stdin piped, as in {@code echo pw | parley hash-password}. */
class HashPasswordCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hashPassword(String stdin) {
        CommandLine commandLine = new CommandLine(new HashPasswordCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute();
    }

    @Test
    @DisplayName("prints one hash line of the first stdin line, which the auth plugin verifies, and exits 0")
    void hashes() {
        assertThat(hashPassword("correct horse battery staple\nsecond line\n")).isZero();
        String line = out.toString().strip();
        assertThat(line).matches("pbkdf2-sha256\\$210000\\$\\S+\\$\\S+").doesNotContain("horse");
        assertThat(PasswordHash.parse(line).verify("correct horse battery staple")).isTrue();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    @DisplayName("a CRLF line end and a missing final line end are not part of the password")
    void lineEnds() {
        hashPassword("pw\r\n");
        hashPassword("pw");
        String[] lines = out.toString().strip().split("\\R");
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(PasswordHash.parse(l).verify("pw")).isTrue());
        assertThat(lines[0]).as("a fresh salt each time").isNotEqualTo(lines[1]);
    }

    @ParameterizedTest(name = "stdin \"{0}\" is an empty password: exit 2, nothing on stdout")
    @ValueSource(strings = {"", "\n", "\r\nsecond"})
    void empty(String stdin) {
        assertThat(hashPassword(stdin)).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("the password is empty");
    }

    @Test
    @DisplayName("is a subcommand of parley")
    void registered() {
        assertThat(ParleyCommand.commandLine().getSubcommands()).containsKey("hash-password");
    }
}
