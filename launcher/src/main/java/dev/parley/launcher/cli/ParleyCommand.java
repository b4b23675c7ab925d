package dev.parley.launcher.cli;

import dev.parley.launcher.LaunchException;
import dev.parley.launcher.Version;
import dev.parley.launcher.account.HashPasswordCommand;
import dev.parley.launcher.client.chat.ChatCommand;
import dev.parley.launcher.client.files.ReceiveCommand;
import dev.parley.launcher.client.files.SendCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code parley} command. Every subcommand is registered in the one list below; a new one (say
 * {@code chat}, {@code send}, {@code receive} in {@code dev.parley.launcher.client}) is a class annotated
 * with {@link Command} added to it, its package opened to {@code info.picocli} in module-info.
 */
@Command(name = "parley",
        mixinStandardHelpOptions = true,
        versionProvider = ParleyCommand.VersionProvider.class,
        description = "Parley: a modular messaging server and its clients.",
        subcommands = {
                ServerCommand.class,
                ChatCommand.class,
                SendCommand.class,
                ReceiveCommand.class,
                HashPasswordCommand.class,
                dev.parley.bench.cli.BenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class ParleyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** The command line, with exit codes mapped: 0 done, 1 failed, 2 bad usage or configuration. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ParleyCommand());
        commandLine.setExecutionExceptionHandler(ParleyCommand::handleFailure);
        return commandLine;
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
