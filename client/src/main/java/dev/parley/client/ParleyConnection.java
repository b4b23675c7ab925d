package dev.parley.client;

import dev.parley.core.protocol.Frame;
import dev.parley.transport.mina.ClientListener;
import dev.parley.transport.mina.MinaClient;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a Parley server over {@link MinaClient}. Every command gets an {@code id} tag
 * ({@code @id=c17}) and its final reply is matched by it (by order when a reply carries none, such as
 * {@code ERR *}); data lines go to the oldest unanswered command that {@link DataLines#matches wants} them;
 * everything else is an event for the {@link ConnectionListener}, but the heartbeat plugin's {@code PING},
 * answered here with {@code PONG}.
 *
 * <p>MINA's I/O thread only queues what it reads; one dispatch thread per connection matches replies and
 * calls the listener, so neither can hold up reading.
 *
 * <p>With a read timeout, a connection that has heard nothing for a third of it sends {@code PING} (any
 * answer, even {@code ERR PING UNKNOWN_COMMAND}, is a sign of life); one that has heard nothing for the
 * whole of it is taken for dead and closed, and {@link ConnectionListener#closed} gets the reason. A half-open
 * TCP connection (a pulled cable, a suspended laptop) is noticed that way rather than never.
 */
public final class ParleyConnection implements ParleyLink {
    private static final Logger log = LoggerFactory.getLogger(ParleyConnection.class);

    private final String target;
    private final ConnectionListener listener;
    /**
     * Frames between the I/O thread and the dispatcher. Bounded: when the dispatcher falls behind, the I/O
     * thread waits, the socket stops being read, and the server (not this JVM) holds the backlog.
     */
    private final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>(INBOX_CAPACITY);
    private static final int INBOX_CAPACITY = 10_000;
    private final CompletableFuture<ServerHello> hello = new CompletableFuture<>();
    private final CompletableFuture<ConnectionException> closed = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    // Guarded by lock: commands in the order they went on the wire.
    private final Deque<Pending> pending = new ArrayDeque<>();
    private boolean ended;
    private MinaClient client;
    private volatile Frame bye;
    private volatile long lastSeq;
    private volatile boolean closing;
    private volatile boolean quitting;
    private volatile boolean opened;
    private volatile long lastHeard = System.nanoTime();
    private volatile long lastPing;
    private volatile ConnectionException silent;
    private volatile ScheduledFuture<?> watch;

    /** One daemon thread watches the liveness of every connection in this JVM. */
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private ParleyConnection(String target, ConnectionListener listener) {
        this.target = target;
        this.listener = listener;
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "parley-client-liveness");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * {@link #open(String, int, Duration, ConnectionListener)} with a read timeout (null or zero: none):
     * after {@code readTimeout} without a byte from the server the connection counts as dead.
     */
    public static ParleyConnection open(String host, int port, Duration connectTimeout, Duration readTimeout,
                                        ConnectionListener listener) throws ConnectionException {
        return open(host, port, Tls.none(), connectTimeout, readTimeout, listener);
    }

    /**
     * {@link #open(String, int, Duration, Duration, ConnectionListener)} inside TLS when {@code tls} is
     * enabled: an untrusted certificate fails the connection before any line is read.
     */
    public static ParleyConnection open(String host, int port, Tls tls, Duration connectTimeout,
                                        Duration readTimeout, ConnectionListener listener) throws ConnectionException {
        ParleyConnection connection = open(host, port, tls, connectTimeout, listener);
        if (readTimeout != null && !readTimeout.isZero() && !readTimeout.isNegative()) {
            connection.watch(readTimeout);
        }
        return connection;
    }

    private void watch(Duration readTimeout) {
        long period = Math.max(10, readTimeout.toMillis() / 6);
        watch = WATCHDOG.scheduleAtFixedRate(() -> check(readTimeout), period, period, TimeUnit.MILLISECONDS);
        if (closed.isDone()) {
            watch.cancel(false);
        }
    }

    private void check(Duration readTimeout) {
        if (closed.isDone() || closing) {
            watch.cancel(false);
            return;
        }
        long now = System.nanoTime();
        long quiet = now - lastHeard;
        if (quiet >= readTimeout.toNanos()) {
            silent = new ConnectionException("no data from " + target + " for " + Backoff.seconds(readTimeout)
                    + " (read timeout); the connection is taken for dead");
            watch.cancel(false);
            client.close();
        } else if (quiet >= readTimeout.toNanos() / 3 && now - lastPing >= readTimeout.toNanos() / 3) {
            lastPing = now;
            request(Frame.of("PING").build());
        }
    }

    /**
     * Connects, waits for the server's {@code HELLO}, and returns the open connection.
     *
     * @param timeout for the TCP connection and again for the greeting
     * @throws ConnectionException with a sentence such as {@code cannot connect to 127.0.0.1:7878:
     *                             Connection refused — is the server running? Start it with 'parley server'.}
     */
    public static ParleyConnection open(String host, int port, Duration timeout, ConnectionListener listener)
            throws ConnectionException {
        return open(host, port, Tls.none(), timeout, listener);
    }

    private static ParleyConnection open(String host, int port, Tls tls, Duration timeout,
                                         ConnectionListener listener) throws ConnectionException {
        ParleyConnection connection = new ParleyConnection(host + ":" + port, listener);
        // Frames that arrive before connect() returns wait in the inbox: the dispatcher starts only once
        // `client` is set, since answering the first of them (a heartbeat PING) already needs it.
        Thread dispatcher = new Thread(connection::dispatch, "parley-client-dispatch");
        dispatcher.setDaemon(true);
        try {
            connection.client = MinaClient.connect(host, port, timeout, connection.new Inlet(), tls.clientTls());
        } catch (IOException e) {
            connection.closing = true;
            connection.inbox.add(new Inbound(null, e));
            dispatcher.start();
            throw new ConnectionException(connectFailure(e), e);
        }
        dispatcher.start();
        try {
            connection.hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            connection.close();
            throw new ConnectionException(connection.target + " accepted the connection but sent no HELLO within "
                    + timeout.toMillis() + " ms; is it a Parley server?", e);
        } catch (ExecutionException e) {
            connection.close();
            throw (ConnectionException) e.getCause();
        } catch (InterruptedException e) {
            connection.close();
            Thread.currentThread().interrupt();
            throw new ConnectionException("interrupted while connecting to " + connection.target, e);
        }
        connection.opened = true;
        return connection;
    }

    /**
     * Whether a TLS handshake failed because the server's certificate chain or name was not accepted (the JDK
     * reports that as an SSLHandshakeException caused by a CertificateException or a certification path error).
     */
    static boolean untrustedCertificate(Throwable failure) {
        boolean handshake = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            handshake |= t instanceof javax.net.ssl.SSLHandshakeException;
            if (handshake && (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.GeneralSecurityException)) {
                return true;
            }
        }
        return false;
    }

    /** MinaClient says {@code cannot connect to host:port: reason}; a refusal gets the likely remedy. */
    static String connectFailure(IOException e) {
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return message + " — is the server running? Start it with 'parley server'.";
            }
        }
        return message;
    }

    @Override
    public ServerHello hello() {
        return hello.join();
    }

    /**
     * The highest {@code seq} tag read so far (0 when the server tags no events): what a reconnecting
     * wrapper would pass to {@code RESUME}.
     */
    public long lastSeq() {
        return lastSeq;
    }

    /** host:port, as given to {@link #open}. */
    public String target() {
        return target;
    }

    @Override
    public CompletableFuture<Reply> request(Frame command, DataLines dataLines) {
        String id = "c" + ids.incrementAndGet();
        Pending p = new Pending(id, dataLines);
        synchronized (lock) {
            if (ended || closing) {
                p.reply.completeExceptionally(closedCause());
                return p.reply;
            }
            // Queued and written under one lock, so the queue's order is the wire's order.
            pending.addLast(p);
            client.send(command.withTag(Frame.TAG_ID, id));
        }
        return p.reply;
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone() && !closing && client != null && client.isConnected();
    }

    @Override
    public void quit(String reason, Duration timeout) {
        Frame.Builder quit = Frame.of("QUIT");
        if (reason != null) {
            quit.trailing(reason);
        }
        quitting = true;
        try {
            request(quit.build()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("QUIT not answered: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public CompletableFuture<ConnectionException> closed() {
        return closed;
    }

    @Override
    public void close() {
        closing = true;
        if (client != null) {
            client.close();
        }
    }

    // ---- the dispatch thread ----

    private void dispatch() {
        try {
            while (true) {
                Inbound in = inbox.take();
                if (in.frame != null) {
                    received(in.frame);
                } else {
                    ended(in.failure);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended(e);
        }
    }

    private void received(Frame frame) {
        if (!hello.isDone()) {
            if (frame.verb().equals("HELLO")) {
                // Set here, not when open() returns: a server that greets and hangs up at once must still
                // reach listener.closed, or a reconnecting link would hold on to a dead connection.
                opened = true;
                hello.complete(ServerHello.from(frame));
                return;
            }
            if (frame.verb().equals("BYE")) {
                bye = frame;
                hello.completeExceptionally(new ConnectionException(byeSentence(frame), frame.param(0)));
                return;
            }
        }
        if (frame.verb().equals("BYE")) {
            bye = frame;
        }
        String seq = frame.tag("seq");
        if (seq != null && seq.chars().allMatch(Character::isDigit) && !seq.isEmpty() && seq.length() < 19) {
            lastSeq = Math.max(lastSeq, Long.parseLong(seq));
        }
        if (frame.verb().equals("PING") && !Reply.isFinal(frame)) {
            // Heartbeat plugin: answer at once, so an idle chat is not cut off with BYE TIMEOUT.
            Frame.Builder pong = Frame.of("PONG");
            if (frame.param(0) != null) {
                pong.param(frame.param(0));
            }
            request(pong.build());
            return;
        }
        if (Reply.isFinal(frame)) {
            answered(frame);
            return;
        }
        Pending head;
        synchronized (lock) {
            head = pending.peekFirst();
        }
        if (head != null && head.dataLines.matches().test(frame)) {
            head.data(frame);
            return;
        }
        try {
            listener.event(frame);
        } catch (RuntimeException e) {
            log.warn("event listener failed on {}", frame, e);
        }
    }

    private void answered(Frame frame) {
        String id = frame.tag(Frame.TAG_ID);
        Pending p = null;
        synchronized (lock) {
            if (id != null) {
                for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                    Pending candidate = it.next();
                    if (candidate.id.equals(id)) {
                        it.remove();
                        p = candidate;
                        break;
                    }
                }
            } else {
                p = pending.pollFirst();
            }
        }
        if (p == null) {
            log.debug("a reply that answers no command: {}", frame);
            return;
        }
        try {
            p.reply.complete(new Reply(frame, p.collected));
        } catch (RuntimeException e) {
            log.warn("reply callback failed on {}", frame, e);
        }
    }

    private void ended(Throwable failure) {
        if (watch != null) {
            watch.cancel(false);
        }
        ConnectionException cause;
        if (silent != null) {
            cause = silent;
        } else if ((closing || quitting) && bye == null && !(failure instanceof InterruptedException)) {
            cause = null;
        } else if (bye != null) {
            cause = new ConnectionException(byeSentence(bye), bye.param(0));
        } else if (failure != null && untrustedCertificate(failure)) {
            cause = new ConnectionException("the server at " + target + " presented a certificate this client does"
                    + " not trust; trust it with --truststore FILE (a PKCS12 file holding the server's certificate,"
                    + " see docs/operations.md, TLS), or test without checking it with --insecure", failure);
        } else if (failure != null) {
            String reason = failure.getMessage() != null ? failure.getMessage() : failure.toString();
            cause = new ConnectionException("lost the connection to " + target + ": " + reason, failure);
        } else {
            cause = new ConnectionException("the server at " + target + " closed the connection");
        }
        List<Pending> unanswered;
        synchronized (lock) {
            ended = true;
            unanswered = new ArrayList<>(pending);
            pending.clear();
        }
        ConnectionException failed = cause != null ? cause
                : new ConnectionException("the connection to " + target + " was closed");
        hello.completeExceptionally(failed);
        unanswered.forEach(p -> p.reply.completeExceptionally(failed));
        try {
            if (opened) {
                listener.closed(cause);
            }
        } catch (RuntimeException e) {
            log.warn("listener failed on close", e);
        } finally {
            closed.complete(cause);
        }
    }

    private ConnectionException closedCause() {
        ConnectionException cause = closed.getNow(null);
        return cause != null ? cause : new ConnectionException("the connection to " + target + " is closed");
    }

    /**
     * The server a stopping server of a cluster handed the session to: the {@code next} tag of its
     * {@code @next=<host:port> BYE SHUTDOWN}; empty for any other end.
     */
    public Optional<String> nextServer() {
        Frame b = bye;
        return b == null ? Optional.empty() : Optional.ofNullable(b.tag("next"));
    }

    /** {@code BYE SHUTDOWN :text} as {@code the server at h:p closed the connection: text (SHUTDOWN)}. */
    String byeSentence(Frame bye) {
        String code = bye.param(0) == null ? "BYE" : bye.param(0);
        String text = bye.trailing();
        String reason = switch (code) {
            case "SERVER_FULL" -> "the server is full; try again later";
            case "SHUTDOWN" -> "the server is shutting down";
            default -> text == null || text.isBlank() ? "no reason given" : text;
        };
        if (text != null && !text.isBlank() && !reason.equals(text)) {
            reason += " (" + text + ")";
        }
        return "the server at " + target + " closed the connection: " + reason + " [" + code + "]";
    }

    /** MINA's side: only queue, never block the I/O thread. */
    private final class Inlet implements ClientListener {
        @Override
        public void frame(Frame frame) {
            lastHeard = System.nanoTime();
            deliver(new Inbound(frame, null));
        }

        @Override
        public void disconnected(Throwable cause) {
            deliver(new Inbound(null, cause));
        }

        private void deliver(Inbound item) {
            try {
                inbox.put(item);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Inbound(Frame frame, Throwable failure) {
    }

    /** A command waiting for its final reply. */
    private static final class Pending {
        final String id;
        final DataLines dataLines;
        final List<Frame> collected = new ArrayList<>();
        final CompletableFuture<Reply> reply = new CompletableFuture<>();

        Pending(String id, DataLines dataLines) {
            this.id = id;
            this.dataLines = dataLines;
        }

        void data(Frame frame) {
            if (dataLines.sink() == null) {
                collected.add(frame);
            } else {
                dataLines.sink().accept(frame);
            }
        }
    }
}
