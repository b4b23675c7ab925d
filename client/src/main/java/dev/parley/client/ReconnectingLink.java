package dev.parley.client;

import dev.parley.core.protocol.Frame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ParleyLink} that outlives its connections. Whenever the connection ends without our asking —
 * a socket error, a read timeout, any {@code BYE} ({@code SHUTDOWN} included) — it connects again on the
 * {@link Backoff} schedule until it succeeds or the attempts run out, then:
 * <ol>
 *   <li>after an accepted {@code AUTH}, it sends that {@code AUTH} again (a server that requires
 *       authentication refuses {@code RESUME} and {@code NICK} before it);</li>
 *   <li>with a resume token (from the last {@code OK NICK} or {@code OK RESUME}) it sends
 *       {@code RESUME <token> <last-seq>}: the missed events arrive and the session goes on;</li>
 *   <li>if that is refused ({@code NO_SUCH_SESSION} after a server restart or the end of the grace,
 *       {@code REPLAY_*}) or there was no token, it registers the last nick again with {@code NICK} and lets
 *       the listener restore the rest ({@link ConnectionListener#reregistered}); a nick taken meanwhile ends
 *       the link with a sentence saying so;</li>
 *   <li>it sends every command whose reply it had not read, and those requested meanwhile, in order.</li>
 * </ol>
 * At most {@link #MAX_QUEUED} commands wait for the connection; more fail at once with a sentence saying so.
 *
 * <p>A server of a cluster that stops hands the session to another ({@code @next=<host:port> BYE SHUTDOWN}):
 * the link then reconnects there first, at once, and resumes; after {@value #REDIRECT_ATTEMPTS} failed attempts
 * there it goes back to its own list of servers.
 *
 * <p>{@code FETCH} and {@code CHUNK} are not resent: they fail with a {@link ConnectionException} while
 * {@link #isOpen()} stays true, and their callers go on from an offset only they know. A resent command runs
 * again if the server had run it before the drop (a {@code SAY} may be seen twice), as the protocol warns.
 */
public final class ReconnectingLink implements ParleyLink {
    /** Lines typed into a chat during an outage; beyond this the typist is told, not the heap. */
    public static final int MAX_QUEUED = 1000;
    /**
     * A connection that dies sooner than this after a reconnection does not reset the attempt count: a server
     * that closes every connection at once (or a command it answers with BYE, resent each time) then meets
     * the growing back-off and the attempt bound instead of a tight loop.
     */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Set<String> NOT_RESENT = Set.of("FETCH", "CHUNK");
    private static final String SESSION_ELSEWHERE = "SESSION_ELSEWHERE";
    private static final String CLUSTER_UNAVAILABLE = "CLUSTER_UNAVAILABLE";
    private static final Set<String> SESSION_GONE = Set.of("NO_SUCH_SESSION", "REPLAY_OVERFLOW",
            "REPLAY_UNAVAILABLE", "UNKNOWN_COMMAND");

    /** The server first connected to, then any fallbacks; a failed attempt moves on to the next. */
    private final List<InetSocketAddress> servers;
    private volatile int server; // index into servers; changed by the reconnecting thread only
    /** Attempts on the server a handover named before the link goes back to its own list. */
    static final int REDIRECT_ATTEMPTS = 5;
    /** Where the last {@code @next=... BYE SHUTDOWN} sent the session; null for none. */
    private volatile InetSocketAddress redirect;
    private int redirectAttempts; // reconnecting thread only
    private final Tls tls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    /**
     * How long a reconnection waits for the answer to AUTH, RESUME or NICK: a server taking over a session of a
     * node that died reads its checkpoints first, which can take seconds, and a client that gives up before the
     * answer finds its token spent and its nick held by the session it was just given.
     */
    private final Duration answerTimeout;
    private final Backoff backoff;
    private final ConnectionListener listener;
    private final CompletableFuture<ConnectionException> closed = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lock = new Object();
    // Guarded by lock.
    private final List<Pending> pending = new ArrayList<>();
    private ParleyConnection current;
    private String token;
    /** The last AUTH the server accepted: sent first on each new connection, as RESUME and NICK need it. */
    private Frame authentication;
    private String nick;
    private long lastSeq;
    private boolean reconnecting;
    private long connectedSince = System.nanoTime();
    private int attemptsOfLastOutage;
    private boolean ended;
    private boolean quitting;

    private ReconnectingLink(List<InetSocketAddress> servers, Tls tls, Duration connectTimeout, Duration readTimeout,
                             Backoff backoff, ConnectionListener listener) {
        this.servers = List.copyOf(servers);
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        Duration answer = readTimeout != null ? readTimeout : DEFAULT_ANSWER_TIMEOUT;
        this.answerTimeout = answer.compareTo(connectTimeout) > 0 ? answer : connectTimeout;
        this.backoff = backoff;
        this.listener = listener;
    }

    /** The wait for a reconnection's answers without a read timeout (see answerTimeout). */
    static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Connects like {@link ParleyConnection#open}: the first connection must succeed (else the
     * {@link ConnectionException}); later breaks are repaired.
     *
     * @param readTimeout how long the server may stay silent (it is pinged meanwhile); null for no limit
     */
    public static ReconnectingLink open(String host, int port, Duration connectTimeout, Duration readTimeout,
                                        Backoff backoff, ConnectionListener listener) throws ConnectionException {
        return open(host, port, Tls.none(), connectTimeout, readTimeout, backoff, listener);
    }

    /** {@link #open(String, int, Duration, Duration, Backoff, ConnectionListener)}, inside TLS when tls is enabled. */
    public static ReconnectingLink open(String host, int port, Tls tls, Duration connectTimeout,
                                        Duration readTimeout, Backoff backoff, ConnectionListener listener)
            throws ConnectionException {
        return open(host, port, List.of(), tls, connectTimeout, readTimeout, backoff, listener);
    }

    /**
     * Like {@link #open(String, int, Tls, Duration, Duration, Backoff, ConnectionListener)}, with other servers
     * of the same cluster to reconnect to: each failed attempt tries the next address, round the list, so a
     * crashed node is left for another that can take the session over.
     *
     * @param fallbacks unresolved host and port of each other server
     */
    public static ReconnectingLink open(String host, int port, List<InetSocketAddress> fallbacks, Tls tls,
                                        Duration connectTimeout, Duration readTimeout, Backoff backoff,
                                        ConnectionListener listener) throws ConnectionException {
        List<InetSocketAddress> servers = new ArrayList<>();
        servers.add(InetSocketAddress.createUnresolved(host, port));
        servers.addAll(fallbacks);
        ReconnectingLink link = new ReconnectingLink(servers, tls, connectTimeout, readTimeout, backoff, listener);
        Inner inner = link.new Inner();
        link.current = ParleyConnection.open(host, port, tls, connectTimeout, readTimeout, inner);
        inner.connection = link.current;
        if (inner.gone) {
            link.broken(link.current, inner.cause); // it ended before we could know it was ours
        }
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
            if (ended) {
                p.reply.completeExceptionally(closedCause());
                return p.reply;
            }
            if (reconnecting && pending.size() >= MAX_QUEUED) {
                p.reply.completeExceptionally(new ConnectionException("not sent: " + MAX_QUEUED
                        + " commands are already waiting for the connection to " + target() + " to come back"));
                return p.reply;
            }
            pending.add(p);
            if (!reconnecting) {
                send(p, current);
            }
        }
        return p.reply;
    }

    /**
     * Must hold lock. A reply completes the command; a broken connection leaves it pending, for
     * {@link #broken} to fail (FETCH, CHUNK) or a reconnection to resend.
     */
    private void send(Pending p, ParleyConnection connection) {
        connection.request(p.command, p.dataLines).thenAccept(reply -> {
            String verb = p.command.verb().toUpperCase(Locale.ROOT);
            synchronized (lock) {
                pending.remove(p);
                if (reply.ok() && (verb.equals("NICK") || verb.equals("RESUME")) && !reply.results().isEmpty()) {
                    nick = reply.results().get(0);
                    token = reply.results().size() > 1 ? reply.results().get(1) : token;
                }
                if (verb.equals("AUTH") && reply.ok()) {
                    authentication = p.command;
                }
                if (verb.equals("QUIT") && reply.ok()) {
                    quitting = true; // the server closes next: that end is ours
                }
            }
            p.reply.complete(reply);
        });
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return !ended;
        }
    }

    @Override
    public boolean reconnects() {
        return true;
    }

    @Override
    public boolean isReconnecting() {
        synchronized (lock) {
            return reconnecting && !ended;
        }
    }

    /** Waits for {@code QUIT}'s reply through any outage, but only {@code quitTimeout} of connected time. */
    @Override
    public void quit(String reason, Duration quitTimeout) {
        Frame.Builder quit = Frame.of("QUIT");
        if (reason != null) {
            quit.trailing(reason);
        }
        CompletableFuture<Reply> reply = request(quit.build());
        try {
            // The link giving up ends the wait too.
            Answers.await(this, reply.applyToEither(closed.thenApply(c -> (Reply) null), r -> r), quitTimeout);
        } catch (ExecutionException | TimeoutException e) {
            // unanswered: close anyway
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
        ParleyConnection connection;
        boolean between;
        synchronized (lock) {
            quitting = true;
            connection = current;
            between = reconnecting;
        }
        stopped.countDown();
        if (between) {
            end(null);
        } else {
            connection.close();
        }
    }

    /** {@code host:port} (IPv6 in brackets) as an unresolved address; empty when malformed. */
    static Optional<InetSocketAddress> hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port < 1 || port > 65535 ? Optional.empty() : Optional.of(InetSocketAddress.createUnresolved(host, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String target() {
        InetSocketAddress at = servers.get(server);
        return at.getHostString() + ":" + at.getPort();
    }

    // ---- reconnecting ----

    private void broken(ParleyConnection dead, ConnectionException cause) {
        List<Pending> notResent = new ArrayList<>();
        int carried;
        synchronized (lock) {
            carried = System.nanoTime() - connectedSince < STABLE_NANOS ? attemptsOfLastOutage : 0;
            if (dead != current || ended || reconnecting) {
                return; // an attempt we gave up on ourselves
            }
            lastSeq = Math.max(lastSeq, dead.lastSeq());
            dead.nextServer().flatMap(ReconnectingLink::hostPort).ifPresent(next -> {
                redirect = next;
                redirectAttempts = 0;
            });
            if (quitting || cause == null) {
                cause = null; // after QUIT, the server's close is the end we asked for
                notResent = null;
            } else {
                reconnecting = true;
                for (Pending p : new ArrayList<>(pending)) {
                    if (NOT_RESENT.contains(p.command.verb().toUpperCase(Locale.ROOT))) {
                        pending.remove(p);
                        notResent.add(p);
                    }
                }
            }
        }
        if (notResent == null) {
            end(cause);
            return;
        }
        ConnectionException lost = cause;
        notResent.forEach(p -> p.reply.completeExceptionally(lost));
        Thread thread = new Thread(() -> reconnect(lost, carried + 1), "parley-client-reconnect");
        thread.setDaemon(true);
        thread.start();
    }

    private void reconnect(ConnectionException cause, int first) {
        ConnectionException last = cause;
        for (int attempt = first; ; attempt++) {
            InetSocketAddress redirected = redirect;
            Optional<Duration> delay = redirected != null && redirectAttempts == 0 ? Optional.of(Duration.ZERO)
                    : backoff.delay(attempt);
            if (delay.isEmpty()) {
                end(new ConnectionException("lost the connection to " + target() + " and gave up after "
                        + (attempt - 1) + (attempt == 2 ? " attempt" : " attempts") + " to reconnect: "
                        + last.getMessage(), last));
                return;
            }
            listener.reconnecting(last, attempt, delay.get());
            if (pause(delay.get())) {
                return; // closed meanwhile
            }
            Inner inner = new Inner();
            ParleyConnection fresh = null;
            try {
                InetSocketAddress at = redirected != null ? redirected : servers.get(server);
                fresh = ParleyConnection.open(at.getHostString(), at.getPort(), tls, connectTimeout, readTimeout, inner);
                inner.connection = fresh;
                restore(fresh);
            } catch (Refused e) {
                fresh.close();
                end(e.cause);
                return;
            } catch (ConnectionException e) {
                if (fresh != null) {
                    fresh.close();
                }
                last = e;
                if (redirected != null) {
                    if (++redirectAttempts >= REDIRECT_ATTEMPTS) {
                        redirect = null;
                    }
                } else {
                    server = (server + 1) % servers.size();
                }
                continue;
            }
            synchronized (lock) {
                if (ended) {
                    fresh.close();
                    return;
                }
                if (!inner.gone) {
                    redirect = null;
                    current = fresh;
                    reconnecting = false;
                    connectedSince = System.nanoTime();
                    attemptsOfLastOutage = attempt;
                    for (Pending p : new ArrayList<>(pending)) {
                        send(p, fresh);
                    }
                    return;
                }
            }
            last = new ConnectionException("the new connection to " + target() + " broke at once");
        }
    }

    /** Takes the session back on {@code fresh}, or registers the nick anew. */
    private void restore(ParleyConnection fresh) throws ConnectionException, Refused {
        String resumeToken;
        String lastNick;
        long seq;
        Frame login;
        synchronized (lock) {
            resumeToken = token;
            lastNick = nick;
            seq = lastSeq;
            login = authentication;
        }
        if (login != null) {
            Reply authenticated = await(fresh, login);
            if (!authenticated.ok()) {
                throw new Refused(new ConnectionException("reconnected to " + target() + " but could not log in as "
                        + login.param(0) + " again: " + authenticated.sentence(), authenticated.code()));
            }
        }
        if (resumeToken != null) {
            Reply resumed = await(fresh, Frame.of("RESUME").params(resumeToken, Long.toString(seq)).build());
            if (resumed.ok()) {
                synchronized (lock) {
                    token = resumed.results().size() > 1 ? resumed.results().get(1) : null;
                }
                listener.resumed();
                return;
            }
            if (SESSION_ELSEWHERE.equals(resumed.code())) {
                // A cluster whose node died has not noticed yet; the token stays valid: try again later.
                throw new ConnectionException("the session is still held by a server the cluster has not yet"
                        + " counted out: " + resumed.sentence());
            }
            if (CLUSTER_UNAVAILABLE.equals(resumed.code())) {
                // This server could not reach a majority of its cluster (a partition, a stalled member): the
                // token was not looked at, so it stays valid; another attempt, here or at a fallback, may succeed.
                throw new ConnectionException("the server could not reach its cluster to look the session up: "
                        + resumed.sentence());
            }
            if (!SESSION_GONE.contains(resumed.code())) {
                throw new Refused(new ConnectionException("reconnected to " + target()
                        + " but could not take the session back: " + resumed.sentence()));
            }
        }
        synchronized (lock) {
            token = null;
            lastSeq = 0;
        }
        if (lastNick == null) {
            return; // never registered: a fresh connection is all there was
        }
        Reply registered = await(fresh, Frame.of("NICK").param(lastNick).build());
        while (!registered.ok()) {
            Optional<String> other = listener.anotherNick(lastNick, registered);
            if (other.isEmpty() || !fresh.isOpen()) {
                throw new Refused(new ConnectionException("reconnected to " + target()
                        + " but cannot register the nick '" + lastNick + "' again: " + registered.sentence(),
                        registered.code()));
            }
            lastNick = other.get();
            registered = await(fresh, Frame.of("NICK").param(lastNick).build());
        }
        String shown = registered.results().isEmpty() ? lastNick : registered.results().get(0);
        synchronized (lock) {
            nick = shown;
            token = registered.results().size() > 1 ? registered.results().get(1) : null;
        }
        listener.reregistered(fresh, shown);
    }

    private Reply await(ParleyConnection fresh, Frame command) throws ConnectionException {
        try {
            return fresh.request(command).get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ConnectionException c ? c
                    : new ConnectionException("no answer to " + command.verb() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ConnectionException("no answer to " + command.verb() + " within "
                    + Backoff.seconds(answerTimeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException("interrupted while reconnecting", e);
        }
    }

    private void end(ConnectionException cause) {
        List<Pending> unanswered;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            reconnecting = false;
            unanswered = new ArrayList<>(pending);
            pending.clear();
        }
        stopped.countDown();
        ConnectionException failed = cause != null ? cause : new ConnectionException("the connection was closed");
        unanswered.forEach(p -> p.reply.completeExceptionally(failed));
        try {
            listener.closed(cause);
        } finally {
            closed.complete(cause);
        }
    }

    private ConnectionException closedCause() {
        ConnectionException cause = closed.getNow(null);
        return cause != null ? cause : new ConnectionException("the connection to " + target() + " is closed");
    }

    /** Waits out a back-off; true when the link was closed meanwhile. */
    private boolean pause(Duration wait) {
        try {
            return stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The server answered, and the answer means trying again will not help. */
    private static final class Refused extends Exception {
        final ConnectionException cause;

        Refused(ConnectionException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    /** Events pass through; the end of the current connection starts a reconnection. */
    private final class Inner implements ConnectionListener {
        volatile ParleyConnection connection;
        volatile boolean gone;
        volatile ConnectionException cause;

        @Override
        public void event(Frame event) {
            listener.event(event);
        }

        @Override
        public void closed(ConnectionException cause) {
            this.cause = cause;
            gone = true;
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
