package dev.parley.core.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.Connection;
import dev.parley.core.net.ConnectionHandler;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameWriter;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.RetentionPolicy;
import dev.parley.core.spi.SessionAuthentication;
import dev.parley.core.spi.SessionRetention;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server without its transport: starts the plugins, builds the command table, owns the sessions and
 * the worker threads, and shuts everything down gracefully.
 */
public final class ServerCore implements ConnectionHandler, Sessions, FlowStatistics {
    private static final Logger log = LoggerFactory.getLogger(ServerCore.class);

    /** The wire protocol version announced in HELLO. */
    public static final String PROTOCOL_VERSION = "1";

    private final CoreSettings settings;
    private final Config rootConfig;
    private final List<ParleyPlugin> plugins;
    private final String softwareVersion;
    private final CommandTable commands = new CommandTable();
    private final Dispatcher dispatcher = new Dispatcher(commands);
    private final Map<Long, ServerSession> sessions = new ConcurrentHashMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    private final AtomicLong nextSessionId = new AtomicLong();
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService scheduler;
    private final List<ParleyPlugin> started = new ArrayList<>();
    /** Built at the first refusal: its number formatting initialises BigDecimal, ~10 ms of a JDK 25 start. */
    private volatile Reply rateLimitedReply;
    private volatile byte[] hello;
    private volatile DetachedSessions retention;
    private volatile CommandObserver commandObserver = CommandObserver.NONE;
    private boolean authenticating; // guarded by this
    private volatile boolean stopping;
    /** Set during shutdown once the commands read so far ran: commands decoded later are not run. */
    private volatile boolean inputClosed;
    private final FlowTotals flowTotals = new FlowTotals();
    /** MSG and WHISPER events handed to local sessions (see {@link #messagesSent}). */
    private final LongAdder msgsSent = new LongAdder();
    private final LongAdder whispersSent = new LongAdder();

    /**
     * @param rootConfig      the whole resolved configuration (holding {@code parley})
     * @param plugins         the plugins to run, in start order
     * @param softwareVersion the server's version, announced in HELLO
     */
    public ServerCore(CoreSettings settings, Config rootConfig, List<ParleyPlugin> plugins, String softwareVersion) {
        this.settings = settings;
        this.rootConfig = rootConfig;
        this.plugins = List.copyOf(plugins);
        this.softwareVersion = softwareVersion;
        AtomicInteger workerNumber = new AtomicInteger();
        // Executors.newFixedThreadPool's pool, built here so that a drain can take the next task (see nextQueuedTask).
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread t = new HeldWrites.Worker(task, "parley-worker-" + workerNumber.incrementAndGet(),
                            settings.flowHighWater());
                    t.setDaemon(true);
                    return t;
                });
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("parley-timer"));
    }

    /**
     * Checks that every plugin was built for an SPI this server runs (see
     * {@link dev.parley.core.spi.SpiVersion}), starts every plugin and builds the command table; throws
     * {@link StartupException} naming the culprit.
     */
    public void start() {
        PluginCompatibility.check(plugins);
        CoreCommands.register(commands, this);
        for (ParleyPlugin plugin : plugins) {
            try {
                plugin.start(new Context(plugin.name()));
                started.add(plugin);
            } catch (StartupException e) {
                stopPlugins();
                throw e;
            } catch (ConfigException e) {
                stopPlugins();
                throw new StartupException(PluginConfigErrors.explain(plugin.name(), e), e);
            } catch (IllegalArgumentException e) {
                // A settings record refusing a value: the operator's to fix, and its message says how.
                stopPlugins();
                throw new StartupException("plugin '" + plugin.name() + "' failed to start: " + e.getMessage(), e);
            } catch (Exception | LinkageError e) {
                stopPlugins();
                // The launcher prints one line; the trace is for the plugin's author, so it goes to the log.
                log.error("plugin '{}' failed to start", plugin.name(), e);
                throw new StartupException("plugin '" + plugin.name() + "' failed to start: " + e
                        + " (stack trace in the log)", e);
            }
        }
        // After every start: a plugin may offer a command only when a service another plugin provides is there.
        for (ParleyPlugin plugin : plugins) {
            try {
                for (Command command : plugin.commands()) {
                    commands.add(plugin.name(), command);
                }
            } catch (StartupException e) {
                stopPlugins();
                throw e;
            } catch (RuntimeException | LinkageError e) {
                stopPlugins();
                log.error("plugin '{}' failed to list its commands", plugin.name(), e);
                throw new StartupException("plugin '" + plugin.name() + "' failed to list its commands: " + e
                        + " (stack trace in the log)", e);
            }
        }
        CoreCommands.registerEcho(commands);
        Frame helloFrame = Frame.of("HELLO")
                .params(settings.serverName(), PROTOCOL_VERSION, softwareVersion)
                .trailing(String.join(" ", pluginNames()))
                .build();
        hello = FrameWriter.encode(helloFrame);
    }

    /**
     * Offers a service to the plugins before {@link #start}, as if a plugin had provided it; the launcher
     * passes the running {@link dev.parley.core.spi.cluster.ClusterService} this way.
     *
     * @throws IllegalStateException when something already provides that type
     */
    public <T> void provide(Class<T> type, T service) {
        if (services.putIfAbsent(type, service) != null) {
            throw new IllegalStateException(type.getName() + " is provided already");
        }
    }

    /**
     * A service a plugin provided (or {@link #provide} offered), for the parts the launcher runs beside core
     * (the web module's admin API and readiness check); empty when nothing provides it.
     */
    public <T> Optional<T> lookup(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }

    /** Tells the observer about every command's final reply from now on; replaces the previous observer. */
    public void observeCommands(CommandObserver observer) {
        this.commandObserver = observer == null ? CommandObserver.NONE : observer;
    }

    CommandObserver commandObserver() {
        return commandObserver;
    }

    /** The limits every session reads from here rather than keeping copies (bytes per connection add up). */
    CoreSettings settings() {
        return settings;
    }

    /** Names of the running plugins, in start order. */
    public List<String> pluginNames() {
        return plugins.stream().map(ParleyPlugin::name).toList();
    }

    @Override
    public InboundHandler connected(Connection connection) {
        Attachment attachment = new Attachment(connection);
        CommandRateLimiter limiter = settings.rateLimited() ? new CommandRateLimiter(settings.commandsPerSecond(),
                settings.commandBurst(), settings.floodDisconnectAfter(), System.nanoTime()) : null;
        ServerSession session = new ServerSession(nextSessionId.incrementAndGet(), attachment, this, limiter);
        sessions.put(session.id(), session);
        connection.write(hello);
        if (stopping) {
            session.stopInput(); // accepted while the server stops: it gets HELLO and BYE SHUTDOWN, nothing else
            session.shutdown();
        }
        for (SessionListener listener : listeners) {
            try {
                listener.sessionOpened(session);
            } catch (RuntimeException e) {
                log.error("session listener failed on open of {}", session, e);
            }
        }
        return attachment;
    }

    /**
     * Graceful stop. First no session reads more input, and every command read already runs to its end, so
     * that whatever was acknowledged ({@code OK SAY}) is queued for its recipients; this takes at most half
     * the timeout (a session whose client reads nothing may never finish). Then every session reads
     * {@code BYE SHUTDOWN} behind everything queued for it and is closed once that is flushed; waits for them to
     * end until three quarters of the timeout have passed, closes those left (clients that do not read their BYE),
     * then stops the plugins and the threads. The last quarter is for what the caller stops after this (the
     * cluster, the transport, the store), so that the process exits within the timeout.
     *
     * @return true if every session ended within the timeout
     */
    public boolean shutdown(Duration timeout) {
        return shutdown(timeout, null);
    }

    /**
     * Graceful stop of one server of a cluster that hands its sessions over: as {@link #shutdown(Duration)},
     * but once every command read has run the listeners hear {@link SessionListener#handingOver()}, each
     * session reads {@code @next=<next> BYE SHUTDOWN :<text>} and ends with {@link SessionListener#HANDED_OVER}.
     *
     * @param next {@code host:port} of another server's client address; null to end the sessions as usual
     * @return true if every session ended within the timeout
     */
    public boolean shutdown(Duration timeout, String next) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        stopping = true;
        for (ServerSession session : sessions.values()) {
            session.stopInput();
        }
        long settled = start + timeout.toNanos() / 2;
        awaitIdle(settled);
        // A read in progress when input was suspended goes on decoding its buffer, and a session can look idle
        // between two of its frames: from now on frames are dropped unanswered, and those that got in before
        // run to their end.
        inputClosed = true;
        awaitIdle(settled);
        if (next != null) {
            for (SessionListener listener : listeners) {
                try {
                    listener.handingOver();
                } catch (RuntimeException e) {
                    log.error("session listener failed while handing the sessions over", e);
                }
            }
        }
        for (ServerSession session : sessions.values()) {
            session.shutdown(next);
        }
        boolean clean = true;
        long closeBy = start + timeout.toNanos() / 4 * 3;
        while (!sessions.isEmpty()) {
            if (System.nanoTime() - closeBy > 0) {
                clean = false;
                log.warn("{} sessions still open after the shutdown timeout of {}; closing them", sessions.size(), timeout);
                sessions.values().forEach(ServerSession::closeConnection);
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopPlugins();
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        return clean;
    }

    /** Waits until no session has a command queued or running, or the deadline passed. */
    private void awaitIdle(long deadline) {
        while (!sessions.values().stream().allMatch(ServerSession::isIdle) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- FlowStatistics ----

    @Override
    public FlowCounts totals() {
        return flowTotals.snapshot();
    }

    @Override
    public Optional<FlowCounts> session(long sessionId) {
        ServerSession session = sessions.get(sessionId);
        return session == null ? Optional.empty() : Optional.of(session.flowCounts());
    }

    /** The whole configuration the server was started with. */
    public Config rootConfig() {
        return rootConfig;
    }

    // ---- Sessions ----

    @Override
    public Collection<Session> all() {
        return List.copyOf(sessions.values());
    }

    @Override
    public int count() {
        return sessions.size();
    }

    @Override
    public void send(Iterable<? extends Session> recipients, Frame event) {
        requireEvent(event);
        byte[] encoded = FrameWriter.encode(event);
        int local = 0;
        for (Session recipient : recipients) {
            if (recipient instanceof ServerSession session) {
                session.writeEvent(encoded);
                local++;
            } else {
                recipient.send(event);
            }
        }
        countMessages(event.verb(), local);
    }

    /**
     * Holds the writes {@code sends} makes on the calling thread and sends them when it returns, one write per
     * connection: for threads other than core's workers that fan out many events at once, a store's writer
     * completing a committed batch ({@link dev.parley.core.spi.store.MessageStore#groupCompletions}) or a cluster
     * log's reader. A worker in the middle of a drain holds already, and {@code sends} runs under that hold.
     */
    @Override
    public void sendTogether(Runnable sends) {
        HeldWrites.holding(sends, settings.flowHighWater());
    }

    @Override
    public void sendTogether(long causedBy, Runnable sends) {
        ServerSession cause = causedBy < 0 ? null : sessions.get(causedBy);
        if (cause == null) {
            sendTogether(sends);
        } else {
            HeldWrites.holding(() -> HeldWrites.current().causedBy(cause, sends), settings.flowHighWater());
        }
    }

    /**
     * Chat messages ({@code MSG}, {@code WHISPER}) handed to this server's sessions for delivery since start,
     * for metrics. Counted once per fan-out (one add for all its local recipients), not per recipient.
     */
    public long messagesSent(String verb) {
        return switch (verb) {
            case "MSG" -> msgsSent.sum();
            case "WHISPER" -> whispersSent.sum();
            default -> 0;
        };
    }

    void countMessages(String verb, int recipients) {
        if (recipients == 0) {
            return;
        }
        if (verb.equals("MSG")) {
            msgsSent.add(recipients);
        } else if (verb.equals("WHISPER")) {
            whispersSent.add(recipients);
        }
    }

    /** See {@link Session#send}: verbs a client reads as replies or the goodbye are not events. */
    static void requireEvent(Frame event) {
        String verb = event.verb();
        if (verb.equals("OK") || verb.equals("ERR") || verb.equals("BYE")) {
            throw new IllegalArgumentException("an event cannot have the verb " + verb + ": clients read " + verb
                    + " as " + (verb.equals("BYE") ? "the server's goodbye; end a session with Session.close"
                    : "a command's final reply; answer a command with its handler's Reply"));
        }
    }

    // ---- for the package ----

    ExecutorService workers() {
        return workers;
    }

    FlowTotals flowTotals() {
        return flowTotals;
    }

    /** Runs {@code task} on the timer after {@code delayNanos}; at once on this thread when the timer has stopped. */
    void later(Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            task.run();
        }
    }

    /**
     * Takes the workers' next queued task, for a worker to run it itself while it still holds its writes (see
     * {@link HeldWrites#HOLD_DRAINS}); null when none is queued. A task taken here runs exactly as if the pool had
     * handed it to this worker next.
     */
    Runnable nextQueuedTask() {
        return workers.getQueue().poll();
    }

    /** Core's retention mechanism, or null when no plugin turned it on. */
    DetachedSessions retention() {
        return retention;
    }

    /** The answer to a command over the session's rate; one instance, since rejections must stay cheap. */
    Reply rateLimitedReply() {
        Reply reply = rateLimitedReply;
        if (reply == null) { // two threads may both build it: the same text, so either may win
            reply = Reply.error(ErrorCode.RATE_LIMITED, "more than "
                    + BigDecimal.valueOf(settings.commandsPerSecond()).stripTrailingZeros().toPlainString()
                    + " commands per second (burst " + settings.commandBurst() + "); this one was not run: slow down");
            rateLimitedReply = reply;
        }
        return reply;
    }

    /** True once shutdown began: lost connections end their sessions instead of detaching them. */
    boolean isStopping() {
        return stopping;
    }

    boolean isInputClosed() {
        return inputClosed;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    CommandTable commands() {
        return commands;
    }

    void sessionEnded(ServerSession session, String reason) {
        sessions.remove(session.id());
        for (SessionListener listener : listeners) {
            try {
                listener.sessionEnded(session, reason);
            } catch (RuntimeException e) {
                log.error("session listener failed on end of {}", session, e);
            }
        }
    }

    private void stopPlugins() {
        for (int i = started.size() - 1; i >= 0; i--) {
            ParleyPlugin plugin = started.get(i);
            try {
                plugin.stop();
            } catch (RuntimeException | LinkageError e) {
                log.error("plugin '{}' failed to stop", plugin.name(), e);
            }
        }
        started.clear();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The server's flow-control totals; sessions add to them as they count their own. */
    static final class FlowTotals {
        final LongAdder stalls = new LongAdder();
        final LongAdder stalledNanos = new LongAdder();
        final LongAdder pauses = new LongAdder();
        final LongAdder slowConsumerCutOffs = new LongAdder();
        final LongAdder budgetCutOffs = new LongAdder();

        FlowCounts snapshot() {
            return new FlowCounts(stalls.sum(), stalledNanos.sum(), pauses.sum(), slowConsumerCutOffs.sum(),
                    budgetCutOffs.sum());
        }
    }

    /** What one plugin sees of the server. */
    private final class Context implements PluginContext {
        private final String plugin;

        Context(String plugin) {
            this.plugin = plugin;
        }

        @Override
        public Config config() {
            String path = "parley." + plugin;
            return rootConfig.hasPath(path) ? rootConfig.getConfig(path) : ConfigFactory.empty();
        }

        @Override
        public Config rootConfig() {
            return rootConfig.getConfig("parley");
        }

        @Override
        public Sessions sessions() {
            return ServerCore.this;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public void addSessionListener(SessionListener listener) {
            listeners.add(listener);
        }

        @Override
        public <T> void provide(Class<T> type, T service) {
            Object previous = services.putIfAbsent(type, service);
            if (previous != null) {
                throw new StartupException("plugin '" + plugin + "' provides " + type.getName()
                        + ", which another plugin provides already");
            }
        }

        @Override
        public <T> Optional<T> lookup(Class<T> type) {
            return Optional.ofNullable(type.cast(services.get(type)));
        }

        @Override
        public SessionRetention retainSessions(RetentionPolicy policy) {
            synchronized (ServerCore.this) {
                if (retention != null) {
                    throw new StartupException("plugin '" + plugin + "' turns on session retention, which another"
                            + " plugin turned on already; keep one of them in parley.plugins");
                }
                retention = new DetachedSessions(policy);
                return retention;
            }
        }

        @Override
        public SessionAuthentication authenticateSessions(boolean required) {
            synchronized (ServerCore.this) {
                if (authenticating) {
                    throw new StartupException("plugin '" + plugin + "' authenticates sessions, which another"
                            + " plugin does already; keep one of them in parley.plugins");
                }
                authenticating = true;
            }
            if (required) {
                dispatcher.requireAuthentication();
            }
            return (session, account) -> {
                if (!(session instanceof ServerSession local)) {
                    throw new IllegalArgumentException("not a session of this server: " + session);
                }
                local.authenticate(account);
                for (SessionListener listener : listeners) {
                    try {
                        listener.sessionAuthenticated(local);
                    } catch (RuntimeException e) {
                        log.error("session listener failed on authentication of {}", local, e);
                    }
                }
            };
        }
    }

    /** HELP, ECHO and QUIT: the commands every server has, whatever plugins run. */
    private static final class CoreCommands {
        /**
         * ECHO, for trying a connection by hand, unless a plugin defines a verb of that name: core's ECHO came
         * after plugins had theirs, and a plugin's own stays its own.
         */
        static void registerEcho(CommandTable table) {
            if (table.get("ECHO") != null) {
                return;
            }
            table.add("core", Command.sync("ECHO", "Answer with the text sent, to try a connection",
                    request -> {
                        String text = request.frame().trailing();
                        if (text == null) {
                            return Reply.error(ErrorCode.BAD_ARGUMENT, "the text is trailing: ECHO :<text>, e.g."
                                    + " ECHO :hello");
                        }
                        return Reply.ok().withText(text);
                    }).withUsage(":<text>").beforeAuthentication());
        }

        static void register(CommandTable table, ServerCore core) {
            table.add("core", Command.sync("HELP", "List every command with its usage and a one-line summary",
                    request -> {
                        List<CommandTable.Entry> entries = core.commands().sorted();
                        for (CommandTable.Entry e : entries) {
                            request.data(Frame.of("COMMAND").params(e.command().verb(), e.plugin())
                                    .trailing(helpLine(e.command())).build());
                        }
                        return Reply.ok(Integer.toString(entries.size()));
                    }).withUsage("").beforeAuthentication());
            table.add("core", Command.sync("QUIT", "Close the connection", request -> {
                String reason = request.frame().trailing();
                ((ServerSession) request.session()).quit(reason == null || reason.isBlank() ? "quit" : reason);
                return Reply.ok();
            }).withUsage("[:reason]").beforeAuthentication());
        }

        /**
         * HELP's text for a command: {@code JOIN <#room> [key] - Enter a room}; only the summary when the
         * command declares no syntax, whose summary then usually shows it.
         */
        static String helpLine(Command command) {
            Usage usage = command.usage();
            if (!usage.declared()) {
                return command.summary();
            }
            String line = usage.line(command.verb());
            return command.summary().isEmpty() ? line : line + " - " + command.summary();
        }
    }
}
