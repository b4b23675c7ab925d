package dev.parley.launcher.client.files;

import dev.parley.client.files.Progress;
import dev.parley.client.files.FileOffer;
import dev.parley.client.files.FileDownload;
import dev.parley.core.protocol.Frame;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.client.ClientOptions;
import dev.parley.launcher.client.Consoles;
import dev.parley.client.ConnectionException;
import dev.parley.client.ConnectionListener;
import dev.parley.client.DataLines;
import dev.parley.client.ParleyLink;
import dev.parley.client.Reply;
import dev.parley.launcher.client.display.ByteSizes;
import dev.parley.launcher.client.display.SafeText;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley receive}: stays connected and downloads what is offered to the nick, those pending
 * ({@code FILES}) first, then new ones ({@code FILE} events), one at a time.
 */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = {"Receive the files offered to your nick.",
                "Takes those waiting on the server, then new ones as they arrive; a file sent to you while you"
                        + " are connected is received as it is being sent. Each is checked against its"
                        + " SHA-256, written to a temporary file in DIR and then renamed; an existing file is never"
                        + " replaced (name (1).ext instead); what arrived of a file that fails the check is deleted. Files an earlier run already saved in DIR (recorded in"
                        + " DIR/.parley-received) are skipped, and said so."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:COUNT files were received", "1:the connection could not be (re-)established or the nick was refused",
                "2:bad usage"})
public final class ReceiveCommand implements Callable<Integer> {

    @Mixin
    ClientOptions server;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Where to save the files (default: the current directory).")
    Path dir;

    @Option(names = "--count", paramLabel = "K",
            description = "Exit after receiving K files (verified ones only); without it, run until interrupted.")
    Integer count;

    @Option(names = "--from", paramLabel = "NICK", description = "Only take files from this nick.")
    String from;

    @Spec
    CommandSpec spec;

    /** A file to take, or the connection's end. */
    private record Next(FileOffer offer, ConnectionException ended) {
    }

    @Override
    public Integer call() throws Exception {
        if (count != null && count < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Files.createDirectories(dir);
        server.readPassword(System.in);
        ReceivedFiles delivered = ReceivedFiles.in(dir);
        BlockingQueue<Next> queue = new LinkedBlockingQueue<>();
        ParleyLink connection = server.connectReconnecting(new ConnectionListener() {
            @Override
            public void reconnecting(ConnectionException cause, int attempt, Duration delay) {
                SendCommand.status(err, cause, attempt, delay);
            }

            /** A new session missed the FILE events of the outage: list what waits (seen skips repeats). */
            @Override
            public void reregistered(ParleyLink fresh, String nick) throws ConnectionException {
                try {
                    Reply listed = fresh.request(Frame.of("FILES").build(), DataLines.verbs("FILE"))
                            .get(10, TimeUnit.SECONDS);
                    listed.data().forEach(line -> queue.add(new Next(FileOffer.from(line), null)));
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof ConnectionException c ? c
                            : new ConnectionException("FILES failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException | InterruptedException e) {
                    throw new ConnectionException("no answer to FILES while reconnecting", e);
                }
            }

            /**
             * OFFERED: an upload to us started, fetched at once while it arrives (cut-through); FILE for the same
             * id then finds it seen. FILE alone: a file completed (for a room, or offered before we were online).
             */
            @Override
            public void event(Frame event) {
                if (event.verb().equals("FILE") || event.verb().equals("OFFERED")) {
                    queue.add(new Next(FileOffer.from(event), null));
                }
            }

            @Override
            public void closed(ConnectionException cause) {
                queue.add(new Next(null, cause != null ? cause
                        : new ConnectionException("the connection was closed")));
            }
        });
        server.requirePlugin(connection, "filetransfer");
        server.register(connection);
        Reply pending = server.await(connection, Frame.of("FILES").build(), DataLines.verbs("FILE"));
        if (!pending.ok()) {
            connection.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "cannot list the files: " + pending.sentence(), null);
        }
        // Listed files first, in their order; a FILE event for one of them may also be queued, seen skips it.
        BlockingQueue<Next> ordered = new LinkedBlockingQueue<>();
        pending.data().forEach(line -> ordered.add(new Next(FileOffer.from(line), null)));
        Set<String> seen = new HashSet<>();
        int received = 0;
        while (count == null || received < count) {
            Next next = ordered.isEmpty() ? queue.take() : ordered.take();
            if (next.ended != null) {
                throw new LaunchException(LaunchException.ENVIRONMENT, next.ended.getMessage(), next.ended);
            }
            FileOffer offer = next.offer;
            if (!seen.add(offer.id()) || from != null && !from.equalsIgnoreCase(offer.from())) {
                continue;
            }
            Optional<Path> had = delivered.already(offer);
            if (had.isPresent()) {
                out.println("skipped " + SafeText.escape(offer.name()) + " from " + SafeText.escape(offer.from())
                        + ": already received as " + SafeText.escape(had.get().toString()));
                out.flush();
                continue;
            }
            Progress progress = Consoles.isTerminal()
                    ? new ProgressBar(new PrintWriter(System.err, true), System::nanoTime) : Progress.NONE;
            try {
                Path saved = new FileDownload(connection).start(offer, dir, progress).join();
                received++;
                delivered.record(offer, saved);
                out.println("received " + SafeText.escape(offer.name()) + " (" + ByteSizes.format(offer.size())
                        + ") from " + SafeText.escape(offer.from()) + " as " + SafeText.escape(saved.toString()));
                out.flush();
            } catch (CompletionException e) {
                err.println("parley: cannot receive " + SafeText.escape(offer.name()) + " from "
                        + SafeText.escape(offer.from()) + ": " + e.getCause().getMessage());
                err.flush();
                if (!connection.isOpen()) {
                    throw new LaunchException(LaunchException.ENVIRONMENT, e.getCause().getMessage(), e.getCause());
                }
            }
        }
        connection.quit(null, server.timeout());
        return 0;
    }
}
