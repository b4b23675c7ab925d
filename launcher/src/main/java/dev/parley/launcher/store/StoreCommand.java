package dev.parley.launcher.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.launcher.Distribution;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.store.jdbc.JdbcMessageStore;
import dev.parley.store.jdbc.JdbcSettings;
import dev.parley.store.jdbc.StoreMaintenance;
import dev.parley.store.jdbc.StoreUrl;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley store backup|copy}: maintenance of the SQL store that {@code parley.store.url} names, read from
 * the same configuration as {@code parley server}.
 */
@Command(name = "store", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Back up the SQLite message store, or copy it into PostgreSQL.",
        subcommands = {StoreCommand.BackupCommand.class, StoreCommand.CopyCommand.class})
public final class StoreCommand implements Runnable {
    /** The environment variable that holds the target's password for {@code copy}: never on the command line. */
    static final String TO_PASSWORD_ENV = "PARLEY_STORE_TO_PASSWORD";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: backup or copy");
    }

    /** The {@code parley.store} section and the home it resolves against, as {@code parley server} reads them. */
    static final class StoreSection {
        private final Config store;

        /** @param config the {@code --config} file, or null for the distribution's conf/parley.conf */
        StoreSection(Path config) {
            Optional<Distribution> distribution = Distribution.current();
            Optional<Path> file = config != null ? Optional.of(config) : distribution.flatMap(Distribution::configFile);
            try {
                Config all = ConfigLoader.load(ConfigLoader.reference(List.of(StoreCommand.class.getClassLoader())),
                        file, System.getProperties(), ConfigFactory.empty());
                store = all.getConfig("parley.store");
            } catch (ConfigException e) {
                throw LaunchException.configuration(e.getMessage(), e);
            }
        }

        Config store() {
            return store;
        }

        /** Relative SQLite paths resolve against the distribution's home, as for the server. */
        static Path home() {
            return Distribution.current().map(Distribution::home).orElse(Path.of("")).toAbsolutePath();
        }

        StoreUrl url() {
            String url = store.getString("url");
            if (!StoreUrl.accepts(url)) {
                throw LaunchException.configuration("parley.store.url is " + StoreUrl.redact(url)
                        + ": parley store works on jdbc:sqlite: and jdbc:postgresql: stores", null);
            }
            try {
                return StoreUrl.parse(url, home());
            } catch (IllegalArgumentException e) {
                throw LaunchException.configuration(e.getMessage(), e);
            }
        }
    }

    private static final String CONFIG_DESCRIPTION = "Configuration file (HOCON) naming parley.store.url."
            + " Default: conf/parley.conf of the distribution, if present.";

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a consistent copy of the SQLite store to FILE, while the server runs or not.",
                "For PostgreSQL use pg_dump (docs/operations.md)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the backup was written", "1:the store could not be read or FILE written",
                "2:bad configuration, not a SQLite store, or FILE exists"})
    static final class BackupCommand implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = CONFIG_DESCRIPTION)
        Path config;

        @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the copy; must not exist.")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StoreUrl url = new StoreSection(config).url();
            try {
                StoreMaintenance.backup(url, file);
            } catch (IllegalArgumentException e) {
                throw LaunchException.configuration(e.getMessage(), e);
            } catch (StoreUnavailableException e) {
                throw new LaunchException(LaunchException.ENVIRONMENT, e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("backed up " + url.display() + " to " + file.toAbsolutePath());
            out.flush();
            return 0;
        }
    }

    @Command(name = "copy", mixinStandardHelpOptions = true,
            description = {"Copy every message, account and room setting (roles, bans, keys) of the store into the"
                    + " empty store at --to (e.g. SQLite into PostgreSQL).", "Stop the server first: messages it stores during the copy are not copied.",
                "The target's password comes from the environment variable " + TO_PASSWORD_ENV + " (or ~/.pgpass)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:copied", "1:a store could not be opened, read or written",
                "2:bad configuration or URL, or the target holds messages"})
    static final class CopyCommand implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = CONFIG_DESCRIPTION)
        Path config;

        @Option(names = "--to", required = true, paramLabel = "JDBC-URL",
                description = "The target store, e.g. jdbc:postgresql://db.example:5432/parley")
        String to;

        @Option(names = "--to-user", paramLabel = "USER", description = "The target database's user.")
        String toUser;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StoreSection section = new StoreSection(config);
            Config store = section.store();
            StoreUrl from = section.url();
            StoreUrl target;
            JdbcSettings settings;
            try {
                if (!StoreUrl.accepts(to)) {
                    throw new IllegalArgumentException("--to " + StoreUrl.redact(to)
                            + " is not a jdbc:sqlite: or jdbc:postgresql: URL");
                }
                target = StoreUrl.parse(to, Path.of("").toAbsolutePath());
                settings = JdbcSettings.from(store);
            } catch (IllegalArgumentException e) {
                throw LaunchException.configuration(e.getMessage(), e);
            }
            if (from.sqlite() != null && !Files.isRegularFile(from.sqlite())) {
                throw LaunchException.configuration("there is no store at " + from.sqlite(), null);
            }
            if (target.jdbcUrl().equals(from.jdbcUrl())) {
                throw LaunchException.configuration("--to names the store being copied", null);
            }
            try (JdbcMessageStore source = JdbcMessageStore.open(from, blankToNull(store.getString("user")),
                    blankToNull(store.getString("password")), settings);
                 JdbcMessageStore into = JdbcMessageStore.open(target, toUser, System.getenv(TO_PASSWORD_ENV),
                         settings)) {
                StoreMaintenance.Copied copied = StoreMaintenance.copy(source, into);
                PrintWriter out = spec.commandLine().getOut();
                out.println("copied " + copied.messages() + " messages of " + copied.conversations()
                        + " conversations, " + copied.mailboxMessages() + " waiting private messages, "
                        + copied.accounts() + " accounts and " + copied.roomStates()
                        + " room roles, bans and settings from " + from.display() + " to " + into.displayUrl());
                out.println("to use it, set parley.store.url = \"" + into.displayUrl() + "\" (and user, password)");
                out.flush();
                return 0;
            } catch (IllegalArgumentException e) {
                throw LaunchException.configuration(e.getMessage(), e);
            } catch (StoreUnavailableException e) {
                throw new LaunchException(LaunchException.ENVIRONMENT, e.getMessage(), e);
            }
        }

        private static String blankToNull(String value) {
            return value.isEmpty() ? null : value;
        }
    }
}
