package dev.parley.launcher.client.files;

import dev.parley.client.files.TransferException;
import dev.parley.client.files.Progress;
import dev.parley.client.files.FileUpload;
import dev.parley.core.protocol.Frame;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.client.ClientOptions;
import dev.parley.launcher.client.Consoles;
import dev.parley.client.ConnectionListener;
import dev.parley.client.Backoff;
import dev.parley.client.ConnectionException;
import dev.parley.client.ParleyLink;
import dev.parley.client.Reply;
import dev.parley.launcher.client.display.ByteSizes;
import dev.parley.launcher.client.display.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley send}: offers files to a nick or a room and uploads them. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send files to a nick or a room.",
                "Each file's SHA-256 is computed while it is sent; the server checks it when the last byte arrives."
                        + " A progress bar is shown on a terminal. To send to a room, the command joins it first."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every file was accepted", "1:a file was refused or could not be read, or the connection"
                + " could not be re-established", "2:bad usage"})
public final class SendCommand implements Callable<Integer> {

    @Mixin
    ClientOptions server;

    @Option(names = "--to", paramLabel = "TARGET", required = true, description = "A nick, or a #room you are in.")
    String to;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to send.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    /** One line on stderr per attempt: a script's stdout keeps only the results. */
    static void status(PrintWriter err, ConnectionException cause, int attempt, Duration delay) {
        synchronized (err) {
            err.println("parley: " + (attempt == 1 ? "connection lost (" + cause.getMessage() + "); " : "")
                    + "reconnecting in " + Backoff.seconds(delay) + " (attempt " + attempt + ")");
            err.flush();
        }
    }

    /** JOIN on a fresh session, waiting for the answer; a break fails the reconnection (tried again). */
    static void rejoin(ParleyLink fresh, String room) throws ConnectionException {
        try {
            fresh.request(Frame.of("JOIN").param(room).build()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ConnectionException c ? c
                    : new ConnectionException("JOIN failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new ConnectionException("no answer to JOIN " + room + " while reconnecting", e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        server.readPassword(System.in);
        ParleyLink connection = server.connectReconnecting(new ConnectionListener() {
            @Override
            public void reconnecting(ConnectionException cause, int attempt, Duration delay) {
                status(err, cause, attempt, delay);
            }

            @Override
            public void reregistered(ParleyLink fresh, String nick) throws ConnectionException {
                if (to.startsWith("#")) {
                    rejoin(fresh, to);
                }
            }
        });
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
