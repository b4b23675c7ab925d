package dev.parley.launcher.client.files;

import dev.parley.core.protocol.Frame;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.client.ClientOptions;
import dev.parley.launcher.client.Consoles;
import dev.parley.launcher.client.connection.ConnectionListener;
import dev.parley.launcher.client.connection.ParleyConnection;
import dev.parley.launcher.client.connection.Reply;
import dev.parley.launcher.client.display.ByteSizes;
import dev.parley.launcher.client.display.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley send}: offers files to a nick or a room and uploads them. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send files to a nick or a room.",
                "Each file's SHA-256 is computed first; the server checks it when the last byte arrives."
                        + " A progress bar is shown on a terminal. To send to a room, the command joins it first."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every file was accepted", "1:a file was refused or could not be read, or the connection"
                + " failed", "2:bad usage"})
public final class SendCommand implements Callable<Integer> {

    @Mixin
    ClientOptions server;

    @Option(names = "--to", paramLabel = "TARGET", required = true, description = "A nick, or a #room you are in.")
    String to;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to send.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParleyConnection connection = server.connect(new ConnectionListener() { });
        try {
            server.requirePlugin(connection, "filetransfer");
            server.register(connection);
            if (to.startsWith("#")) {
                // OFFER to a room needs membership; joining is harmless if we are there already.
                Reply joined = server.await(connection, Frame.of("JOIN").param(to).build());
                if (!joined.ok()) {
                    throw new LaunchException(LaunchException.ENVIRONMENT, "cannot join " + SafeText.escape(to)
                            + ": " + joined.sentence(), null);
                }
            }
            FileUpload upload = new FileUpload(connection, server.timeout());
            int failed = 0;
            for (Path file : files) {
                Progress progress = Consoles.isTerminal()
                        ? new ProgressBar(new PrintWriter(System.err, true), System::nanoTime) : Progress.NONE;
                try {
                    FileUpload.Sent sent = upload.send(to, file, progress);
                    out.println("sent " + SafeText.escape(sent.name()) + " (" + ByteSizes.format(sent.size()) + ") to "
                            + SafeText.escape(to) + " as " + sent.fileId());
                    out.flush();
                } catch (TransferException e) {
                    failed++;
                    err.println("parley: cannot send " + file + ": " + e.getMessage());
                    err.flush();
                    if (!connection.isOpen()) {
                        break;
                    }
                }
            }
            return failed == 0 ? 0 : 1;
        } finally {
            connection.quit(null, server.timeout());
        }
    }
}
