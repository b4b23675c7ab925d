package dev.parley.launcher.client;

import dev.parley.core.protocol.Frame;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.client.connection.ConnectionException;
import dev.parley.launcher.client.connection.ConnectionListener;
import dev.parley.launcher.client.connection.DataLines;
import dev.parley.launcher.client.connection.ParleyConnection;
import dev.parley.launcher.client.connection.ParleyLink;
import dev.parley.launcher.client.connection.Reply;
import dev.parley.launcher.client.connection.ResumingLink;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/** The options every client subcommand shares (a picocli mixin), and the connection they describe. */
public final class ClientOptions {

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "Server address (default: ${DEFAULT-VALUE}).")
    public String host;

    @Option(names = "--port", paramLabel = "P", defaultValue = "7878",
            description = "Server port (default: ${DEFAULT-VALUE}).")
    public int port;

    @Option(names = "--nick", paramLabel = "N", required = true, description = "Your nick on the server.")
    public String nick;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the connection and for each answer the command waits for"
                    + " (default: ${DEFAULT-VALUE}).")
    public int timeoutSeconds;

    public Duration timeout() {
        return Duration.ofSeconds(Math.max(1, timeoutSeconds));
    }

    /** Connects; a failure ends the command with one line on stderr and exit code 1. */
    public ParleyConnection connect(ConnectionListener listener) {
        try {
            return ParleyConnection.open(host, port, timeout(), listener);
        } catch (ConnectionException e) {
            throw new LaunchException(LaunchException.ENVIRONMENT, e.getMessage(), e);
        }
    }

    /** Sends a command and waits for its reply; a lost connection or no answer ends the command (exit 1). */
    public Reply await(ParleyLink link, Frame command) {
        return await(link, command, DataLines.none());
    }

    /** {@link #await(ParleyLink, Frame)} for a command with data lines. */
    public Reply await(ParleyLink link, Frame command, DataLines dataLines) {
        try {
            return link.request(command, dataLines).get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "no answer to " + command.verb() + " within "
                    + timeout().toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "interrupted", e);
        }
    }

    /**
     * Registers {@link #nick}; a refusal ends the command (exit 1) with the server's sentence.
     *
     * @return the nick as the server shows it
     */
    public String register(ParleyLink link) {
        Reply reply = await(link, Frame.of("NICK").param(nick).build());
        if (!reply.ok()) {
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "cannot use the nick '"
                    + dev.parley.launcher.client.display.SafeText.escape(nick) + "': " + reply.sentence(), null);
        }
        return reply.results().isEmpty() ? nick : reply.results().get(0);
    }

    /**
     * Connects through a {@link ResumingLink}: a dropped connection is taken back within {@code grace}
     * (the server's {@code parley.heartbeat.resume-grace}, 60 s by default).
     */
    public ResumingLink connectResuming(ConnectionListener listener, Duration grace) {
        try {
            return ResumingLink.open(host, port, timeout(), grace, listener);
        } catch (ConnectionException e) {
            throw new LaunchException(LaunchException.ENVIRONMENT, e.getMessage(), e);
        }
    }

    /** Ends the command (exit 1) unless the server runs the plugin. */
    public void requirePlugin(ParleyLink connection, String plugin) {
        if (!connection.hello().runs(plugin)) {
            connection.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "the server at " + host + ":" + port
                    + " does not run the " + plugin + " plugin (it runs: "
                    + String.join(", ", connection.hello().plugins()) + ")", null);
        }
    }
}
