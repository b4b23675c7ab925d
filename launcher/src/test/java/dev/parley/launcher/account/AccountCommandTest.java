package dev.parley.launcher.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.auth.password.PasswordHash;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.store.MemoryMessageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code parley account add <name>} with stdin piped; the store it opens is handed in. */
class AccountCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final MemoryMessageStore store = new MemoryMessageStore(100);
    private final AccountStore accounts = store.accounts().orElseThrow();

    @TempDir
    Path dir;

    private int add(String conf, String stdin, String... args) throws IOException {
        Path file = dir.resolve("parley.conf");
        Files.writeString(file, conf);
        CommandLine commandLine = new CommandLine(new AccountCommand.AddCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null, config -> store));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = file.toString();
        return commandLine.execute(all);
    }

    private static final String SQLITE = "parley.store.url = \"jdbc:sqlite:parley.db\"\n";

    @Test
    @DisplayName("creates the account under its folded name with the salted hash of the first stdin line")
    void creates() throws IOException {
        assertThat(add(SQLITE, "long enough pw\n", "Carol")).as(err::toString).isZero();
        assertThat(out.toString()).isEqualTo("account Carol created" + System.lineSeparator());
        AccountStore.Account carol = accounts.find("carol").orElseThrow();
        assertThat(carol.name()).isEqualTo("Carol");
        assertThat(PasswordHash.parse(carol.passwordHash()).verify("long enough pw")).isTrue();
    }

    @Test
    @DisplayName("refuses a taken name, a configured user, a weak password, a bad name and the memory store: exit 2")
    void refusals() throws IOException {
        add(SQLITE, "long enough pw\n", "carol");
        assertThat(add(SQLITE, "long enough pw\n", "CAROL")).isEqualTo(2);
        assertThat(add(SQLITE + "parley.auth.users.alice = \"" + PasswordHash.create("x".toCharArray()) + "\"\n",
                "long enough pw\n", "Alice")).isEqualTo(2);
        assertThat(add(SQLITE, "short\n", "dave")).isEqualTo(2);
        assertThat(add(SQLITE, "long enough pw\n", "a/b")).isEqualTo(2);
        assertThat(add("parley.store.url = \"memory:\"\n", "long enough pw\n", "erin")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(5).satisfiesExactly(
                l -> assertThat(l).contains("exists already"),
                l -> assertThat(l).contains("in parley.auth.users"),
                l -> assertThat(l).contains("at least 8 characters"),
                l -> assertThat(l).contains("an account name is"),
                l -> assertThat(l).contains("memory:"));
        assertThat(accounts.find("dave")).isEmpty();
        assertThat(accounts.find("erin")).isEmpty();
    }
}
