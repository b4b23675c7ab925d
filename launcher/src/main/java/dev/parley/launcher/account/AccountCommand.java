package dev.parley.launcher.account;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.parley.auth.account.AccountNames;
import dev.parley.auth.password.PasswordHash;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.store.MemoryStoreProvider;
import dev.parley.launcher.Distribution;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.launcher.plugins.PluginCatalog;
import dev.parley.launcher.store.StoreOpener;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley account}: accounts kept in the server's store, managed on the server machine. */
@Command(name = "account", mixinStandardHelpOptions = true, subcommands = AccountCommand.AddCommand.class,
        description = "Manage the accounts kept in the server's store (parley.store.url).")
public final class AccountCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /**
     * {@code parley account add <name>}: creates an account in the store, the password read as
     * {@code parley hash-password} reads it (never from the command line).
     */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Create an account in the server's store; the password is read from the terminal",
                    "without echo (twice), or the first line of stdin. Works while the server runs (SQL stores)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the account was created", "1:the store could not be opened",
                    "2:bad name, weak password, taken name, or a store that keeps no accounts (memory:)"})
    public static final class AddCommand implements Callable<Integer> {
        static final int BAD_INPUT = 2;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The account's name: " + AccountNames.FORM + ".")
        String name;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Configuration file (HOCON). Default: conf/parley.conf of the distribution, if present.")
        Path config;

        private final InputStream stdin;
        private final Console console;
        private final Function<Config, MessageStore> opener;

        /** Reads from the terminal when there is one, else stdin; opens the store {@code parley.store.url} names. */
        public AddCommand() {
            this(System.in, HashPasswordCommand.terminal(), AddCommand::open);
        }

        /**
         * @param console the terminal to prompt on, or null to read one line from {@code stdin}
         * @param opener  opens the store of the loaded configuration
         */
        AddCommand(InputStream stdin, Console console, Function<Config, MessageStore> opener) {
            this.stdin = stdin;
            this.console = console;
            this.opener = opener;
        }

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (!AccountNames.isValid(name)) {
                return fail(err, "an account name is " + AccountNames.FORM);
            }
            Config root = load();
            if (root.hasPath("parley.auth.users")
                    && root.getObject("parley.auth.users").keySet().stream().map(AccountNames::fold)
                    .anyMatch(AccountNames.fold(name)::equals)) {
                return fail(err, name + " is in parley.auth.users already");
            }
            if (MemoryStoreProvider.URL.equals(root.getString("parley.store.url"))) {
                return fail(err, "parley.store.url is memory:, which keeps nothing past its process; set it to the"
                        + " server's jdbc:sqlite: or jdbc:postgresql: URL");
            }
            int minLength = root.hasPath("parley.auth.min-password-length")
                    ? root.getInt("parley.auth.min-password-length") : 8;
            char[] password = HashPasswordCommand.readPassword(stdin, console, err);
            if (password == null) {
                return BAD_INPUT;
            }
            try {
                if (password.length < minLength) {
                    return fail(err, "the password needs at least " + minLength
                            + " characters (parley.auth.min-password-length); nothing was created");
                }
                try (MessageStore store = opener.apply(root)) {
                    Optional<AccountStore> accounts = store.accounts();
                    if (accounts.isEmpty()) {
                        return fail(err, "the store at parley.store.url keeps no accounts");
                    }
                    String key = AccountNames.fold(name);
                    boolean created = accounts.get().find(key).isEmpty() && accounts.get().create(
                            new AccountStore.Account(key, name, PasswordHash.create(password).toString(), false,
                                    Clock.systemUTC().instant()));
                    if (!created) {
                        return fail(err, "an account called " + name + " exists already");
                    }
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("account " + name + " created");
                out.flush();
                return 0;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private Config load() {
            Optional<Distribution> distribution = Distribution.current();
            PluginCatalog catalog = PluginCatalog.discover(distribution.flatMap(Distribution::pluginsDirectory));
            Optional<Path> file = config != null ? Optional.of(config) : distribution.flatMap(Distribution::configFile);
            try {
                return ConfigLoader.load(ConfigLoader.reference(catalog.classLoaders()), file, System.getProperties(),
                        ConfigFactory.empty());
            } catch (ConfigException | IllegalArgumentException e) {
                throw LaunchException.configuration(e.getMessage(), e);
            }
        }

        private static MessageStore open(Config root) {
            Path home = Distribution.current().map(Distribution::home).orElse(Path.of("").toAbsolutePath());
            try {
                return StoreOpener.open(root, home, false);
            } catch (IllegalArgumentException e) {
                throw LaunchException.configuration(e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new LaunchException(LaunchException.ENVIRONMENT, e.getMessage(), e);
            }
        }

        private static int fail(PrintWriter err, String message) {
            err.println("parley: " + message);
            err.flush();
            return BAD_INPUT;
        }
    }
}
