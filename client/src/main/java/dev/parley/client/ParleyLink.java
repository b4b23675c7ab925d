package dev.parley.client;

import dev.parley.core.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What the client commands need from a connection to a Parley server. {@link ParleyConnection} is one TCP
 * connection; {@link ReconnectingLink} implements the same interface over as many as it takes, and the
 * commands stay unchanged.
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

    /** True until the connection is closed by either side (for a reconnecting link: until it gives up). */
    boolean isOpen();

    /**
     * True when a broken connection is replaced rather than ended: a command that failed with a
     * {@link ConnectionException} while {@link #isOpen()} is still true may be sent again.
     */
    default boolean reconnects() {
        return false;
    }

    /** True while the link is between connections: time spent so is not the server's slowness. */
    default boolean isReconnecting() {
        return false;
    }

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
