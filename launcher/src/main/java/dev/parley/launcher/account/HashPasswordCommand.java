package dev.parley.launcher.account;

import dev.parley.auth.password.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code parley hash-password}: reads a password and prints its hash for {@code parley.auth.users}. The
 * password never appears on the command line (where {@code ps} and shell history would show it): on a
 * terminal it is read twice without echo; from a pipe, the first line is the password.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Print the hash of a password for parley.auth.users.",
                "Reads the password from the terminal without echo (twice), or the first line of stdin, and prints"
                        + " a hash ready to paste into parley.auth.users, e.g.  alice = \"pbkdf2-sha256$210000$...\""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the hash was printed", "2:the password was empty, or the two entries differed"})
public final class HashPasswordCommand implements Callable<Integer> {
    static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    private final InputStream stdin;
    private final Console console;

    /** Reads from the terminal when there is one, else from stdin. */
    public HashPasswordCommand() {
        this(System.in, terminal());
    }

    /** @param console the terminal to prompt on, or null to read one line from {@code stdin} */
    HashPasswordCommand(InputStream stdin, Console console) {
        this.stdin = stdin;
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        char[] password = readPassword(stdin, console, err);
        if (password == null) {
            return BAD_INPUT;
        }
        try {
            if (password.length == 0) {
                err.println("parley: the password is empty; nothing was hashed");
                err.flush();
                return BAD_INPUT;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(PasswordHash.create(password));
            out.flush();
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * A password from the terminal (asked twice without echo) or, without one, the first line of stdin; null
     * (after saying so) when the two entries differ.
     */
    static char[] readPassword(InputStream stdin, Console console, PrintWriter err) throws IOException {
        return console != null ? fromTerminal(console, err) : firstLine(stdin);
    }

    /** Asks twice without echo; null (after saying so) when the two differ. */
    private static char[] fromTerminal(Console console, PrintWriter err) {
        char[] first = console.readPassword("Password: ");
        if (first == null) {
            return new char[0];
        }
        char[] again = console.readPassword("Again: ");
        boolean same = Arrays.equals(first, again);
        if (again != null) {
            Arrays.fill(again, '\0');
        }
        if (!same) {
            Arrays.fill(first, '\0');
            err.println("parley: the two passwords differ; nothing was done");
            err.flush();
            return null;
        }
        return first;
    }

    /** The first line of stdin without its line end; empty when there is none. */
    private static char[] firstLine(InputStream stdin) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? new char[0] : line.toCharArray();
    }

    /**
     * The console if stdin and stdout are a terminal, else null. Up to Java 21 {@code System.console()} says
     * exactly that; from 22 it also returns a console for redirected streams, and {@code isTerminal()} (absent
     * from the Java 17 API this is compiled against) tells them apart.
     */
    static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
        } catch (NoSuchMethodException e) {
            return console;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
