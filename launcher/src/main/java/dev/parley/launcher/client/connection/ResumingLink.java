package dev.parley.launcher.client.connection;

import dev.parley.core.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ParleyLink} that survives a dropped connection when the server runs the heartbeat plugin: it keeps
 * the resume token of the last {@code OK NICK} (or {@code OK RESUME}) and the highest {@code seq} read, and
 * when the connection breaks without a final {@code BYE} (or with {@code BYE TIMEOUT}) it connects again,
 * sends {@code RESUME <token> <last-seq>}, receives the missed events, and resends every command whose reply
 * it had not read, as the protocol asks. It gives up after {@code grace} (the server's
 * {@code parley.heartbeat.resume-grace}) or when {@code RESUME} is refused.
 *
 * <p>Resent commands run again if the server had run them before the drop: a {@code SAY} may then be seen
 * twice. A {@code FETCH} cut off mid-way starts over from offset 0, which its receiver reports as a failure.
 */
public final class ResumingLink implements ParleyLink {
    /** Ends that no RESUME can undo: the server is going away, is full, or cannot read us. */
    private static final Set<String> FINAL_BYES = Set.of("SHUTDOWN", "SERVER_FULL", "PROTOCOL", "SLOW_CONSUMER");
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final String host;
    private final int port;
    private final Duration timeout;
    private final Duration grace;
    private final ConnectionListener listener;
    private final CompletableFuture<ConnectionException> closed = new CompletableFuture<>();
    private final Object lock = new Object();
    // Guarded by lock.
    private final List<Pending> pending = new ArrayList<>();
    private ParleyConnection current;
    private String token;
    private long lastSeq;
    private boolean resuming;
    private volatile boolean quitting;

    private ResumingLink(String host, int port, Duration timeout, Duration grace, ConnectionListener listener) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.grace = grace;
        this.listener = listener;
    }

    /** Connects like {@link ParleyConnection#open}; later breaks are resumed within {@code grace}. */
    public static ResumingLink open(String host, int port, Duration timeout, Duration grace,
                                    ConnectionListener listener) throws ConnectionException {
        ResumingLink link = new ResumingLink(host, port, timeout, grace, listener);
        Inner inner = link.new Inner();
        link.current = ParleyConnection.open(host, port, timeout, inner);
        inner.connection = link.current;
        return link;
    }

    @Override
    public ServerHello hello() {
        synchronized (lock) {
            return current.hello();
        }
    }

    @Override
    public CompletableFuture<Reply> request(Frame command, DataLines dataLines) {
        Pending p = new Pending(command, dataLines);
        synchronized (lock) {
            if (closed.isDone()) {
                p.reply.completeExceptionally(closed.join() != null ? closed.join()
                        : new ConnectionException("the connection is closed"));
                return p.reply;
            }
            pending.add(p);
            if (!resuming) {
                send(p, current);
            }
        }
        return p.reply;
    }

    /** Must hold lock. A reply completes the command; a failure leaves it pending for a resume to resend. */
    private void send(Pending p, ParleyConnection connection) {
        connection.request(p.command, p.dataLines).thenAccept(reply -> {
            synchronized (lock) {
                pending.remove(p);
            }
            if (reply.ok() && (p.command.verb().equals("NICK") || p.command.verb().equals("RESUME"))
                    && reply.results().size() > 1) {
                synchronized (lock) {
                    token = reply.results().get(1);
                }
            }
            p.reply.complete(reply);
        });
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return !closed.isDone() && (resuming || current.isOpen());
        }
    }

    @Override
    public void quit(String reason, Duration quitTimeout) {
        quitting = true;
        ParleyConnection connection;
        synchronized (lock) {
            connection = current;
        }
        connection.quit(reason, quitTimeout);
    }

    @Override
    public CompletableFuture<ConnectionException> closed() {
        return closed;
    }

    @Override
    public void close() {
        quitting = true;
        ParleyConnection connection;
        synchronized (lock) {
            connection = current;
        }
        connection.close();
    }

    // ---- resuming ----

    private void broken(ParleyConnection dead, ConnectionException cause) {
        boolean resumable;
        synchronized (lock) {
            if (dead != current) {
                return; // an attempt we gave up on ourselves
            }
            lastSeq = Math.max(lastSeq, dead.lastSeq());
            resumable = !quitting && cause != null && token != null
                    && (cause.byeCode() == null || !FINAL_BYES.contains(cause.byeCode()));
            resuming = resumable;
        }
        if (!resumable) {
            end(cause);
            return;
        }
        listener.reconnecting(cause);
        Thread thread = new Thread(() -> resume(cause), "parley-client-resume");
        thread.setDaemon(true);
        thread.start();
    }

    private void resume(ConnectionException cause) {
        long deadline = System.nanoTime() + grace.toNanos();
        Duration wait = FIRST_RETRY;
        ConnectionException last = cause;
        while (System.nanoTime() < deadline && !quitting) {
            ParleyConnection fresh;
            Inner inner = new Inner();
            try {
                fresh = ParleyConnection.open(host, port, timeout, inner);
                inner.connection = fresh;
            } catch (ConnectionException e) {
                last = e;
                pause(wait);
                wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
                continue;
            }
            String resumeToken;
            long seq;
            synchronized (lock) {
                resumeToken = token;
                seq = lastSeq;
            }
            Reply reply;
            try {
                reply = fresh.request(Frame.of("RESUME").params(resumeToken, Long.toString(seq)).build())
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                fresh.close();
                last = new ConnectionException("no answer to RESUME: " + e.getMessage(), e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (!reply.ok()) {
                fresh.close();
                end(new ConnectionException("lost the connection to " + host + ":" + port
                        + " and could not take the session back: " + reply.sentence()));
                return;
            }
            synchronized (lock) {
                token = reply.results().size() > 1 ? reply.results().get(1) : token;
                current = fresh;
                resuming = false;
                for (Pending p : new ArrayList<>(pending)) {
                    send(p, fresh);
                }
            }
            listener.resumed();
            return;
        }
        end(new ConnectionException("lost the connection to " + host + ":" + port + " and could not resume within "
                + grace.toSeconds() + " s: " + last.getMessage(), last));
    }

    private void end(ConnectionException cause) {
        List<Pending> unanswered;
        synchronized (lock) {
            resuming = false;
            unanswered = new ArrayList<>(pending);
            pending.clear();
        }
        ConnectionException failed = cause != null ? cause : new ConnectionException("the connection was closed");
        unanswered.forEach(p -> p.reply.completeExceptionally(failed));
        try {
            listener.closed(cause);
        } finally {
            closed.complete(cause);
        }
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis()); // back-off between attempts to reach the server
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events pass through; the end of a connection starts a resume. */
    private final class Inner implements ConnectionListener {
        volatile ParleyConnection connection;

        @Override
        public void event(Frame event) {
            listener.event(event);
        }

        @Override
        public void closed(ConnectionException cause) {
            if (connection != null) {
                broken(connection, cause);
            }
        }
    }

    private static final class Pending {
        final Frame command;
        final DataLines dataLines;
        final CompletableFuture<Reply> reply = new CompletableFuture<>();

        Pending(Frame command, DataLines dataLines) {
            this.command = command;
            this.dataLines = dataLines;
        }
    }
}
