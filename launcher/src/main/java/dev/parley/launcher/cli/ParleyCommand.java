package dev.parley.launcher.cli;

import dev.parley.launcher.LaunchException;
import dev.parley.launcher.Version;
import dev.parley.launcher.account.AccountCommand;
import dev.parley.launcher.account.HashPasswordCommand;
import dev.parley.launcher.client.chat.ChatCommand;
import dev.parley.launcher.client.files.ReceiveCommand;
import dev.parley.launcher.client.files.SendCommand;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code parley} command. Every subcommand is registered in the one list below ({@link #SUBCOMMANDS}); a new
 * one (say {@code chat}, {@code send}, {@code receive} in {@code dev.parley.launcher.client}) is a class
 * annotated with {@link Command} added to it under its name, its package opened to {@code info.picocli} in
 * module-info.
 */
@Command(name = "parley",
        mixinStandardHelpOptions = true,
        // No subcommand is a method; without this picocli reflects on every method here at each start.
        addMethodSubcommands = false,
        versionProvider = ParleyCommand.VersionProvider.class,
        description = "Parley: a modular messaging server and its clients.")
public final class ParleyCommand implements Runnable {
    /** Every subcommand by its {@code @Command} name, in the order {@code parley --help} lists them. */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("server", ServerCommand.class);
        all.put("chat", ChatCommand.class);
        all.put("send", SendCommand.class);
        all.put("receive", ReceiveCommand.class);
        all.put("hash-password", HashPasswordCommand.class);
        all.put("account", AccountCommand.class);
        all.put("store", dev.parley.launcher.store.StoreCommand.class);
        all.put("bench", dev.parley.bench.cli.BenchCommand.class);
        all.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(all);
    }

    @Spec
    CommandSpec spec;

    /** The command line, with exit codes mapped: 0 done, 1 failed, 2 bad usage or configuration. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS.values());
    }

    /**
     * The command line for these arguments: when they start with a subcommand's name, only that subcommand is
     * built. picocli reads every option of every subcommand by reflection when it builds one; for
     * {@code parley server} that was about half of the start-up time (bench/results/2026-11-25-profiles.md, *Start-up*). Anything else
     * (help, a typo, no subcommand) gets them all, for the usage text and suggestions.
     */
    public static CommandLine commandLine(String[] args) {
        Class<?> only = args.length > 0 && !args[0].equals("help") ? SUBCOMMANDS.get(args[0]) : null;
        return only == null ? commandLine() : commandLine(List.of(only));
    }

    private static CommandLine commandLine(Collection<Class<?>> subcommands) {
        CommandLine commandLine = new CommandLine(new ParleyCommand());
        for (Class<?> subcommand : subcommands) {
            commandLine.addSubcommand(subcommand);
        }
        // After the subcommands: picocli hands the handler down only to those already added.
        commandLine.setExecutionExceptionHandler(ParleyCommand::handleFailure);
        commandLine.setParameterExceptionHandler(ParleyCommand::handleUsageError);
        return commandLine;
    }

    /**
     * A usage error: the error, picocli's suggestions for a typo, and one line saying where the help is;
     * the full usage text (some 50 lines) would scroll the error away.
     */
    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println("parley: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return failed.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** A {@link LaunchException} is the operator's to fix: one line, no stack trace. Anything else is a bug. */
    private static int handleFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof LaunchException launch) {
            err.println("parley: " + launch.getMessage());
            err.flush();
            return launch.exitCode();
        }
        err.println("parley: unexpected failure: " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }

    /** {@code parley --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Parley " + Version.get(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
