package dev.parley.launcher.client.connection;

import dev.parley.core.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What the client commands need from a connection to a Parley server. {@link ParleyConnection} is one TCP
 * connection; a reconnecting wrapper (resuming through the heartbeat plugin) can implement the same
 * interface and the commands stay unchanged.
 */
public interface ParleyLink extends AutoCloseable {

    /** The greeting of the server this link talks to. */
    ServerHello hello();

    /**
     * Sends a command and returns its answer. Commands are pipelined: this never waits for the server.
     *
     * @return completes with the final reply ({@code OK} or {@code ERR}: both are answers); completes
     *         exceptionally with a {@link ConnectionException} when the connection ends before the reply
     */
    CompletableFuture<Reply> request(Frame command, DataLines dataLines);

    /** {@link #request(Frame, DataLines)} for a command without data lines. */
    default CompletableFuture<Reply> request(Frame command) {
        return request(command, DataLines.none());
    }

    /** True until the connection is closed by either side. */
    boolean isOpen();

    /**
     * Sends {@code QUIT}, waits up to {@code timeout} for its reply (and so for the replies of every command
     * sent before it), then closes.
     */
    void quit(String reason, Duration timeout);

    /** Completes when the connection has ended, with the cause given to {@link ConnectionListener#closed}. */
    CompletableFuture<ConnectionException> closed();

    /** Closes at once after flushing what was sent; unanswered commands fail. */
    @Override
    void close();
}
