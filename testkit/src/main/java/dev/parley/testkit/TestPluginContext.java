package dev.parley.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.Sessions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link PluginContext} without a server, for unit tests that start a plugin themselves and call its
 * handlers with {@link TestRequest} on {@link TestSession}s: services sit in a map, fan-out calls each
 * session's {@code send}, and the test opens and ends sessions, which tells the plugin's listeners.
 *
 * <pre>{@code
 * DicePlugin dice = new DicePlugin();
 * TestPluginContext context = TestPluginContext.of(dice, "parley.dice.max-dice = 5");
 * dice.start(context);
 * TestSession alice = context.open(new TestSession());
 * }</pre>
 *
 * <p>It offers neither session retention nor authentication (the {@link PluginContext} defaults refuse them).
 * {@link #of} gives the plugin its {@code reference.conf} defaults as the server does; the constructors give
 * it exactly the configuration the test passes. Anything that depends on core (dispatch order, replies on
 * the wire, timeouts) is for {@link ParleyTestKit}. Thread-safe.
 */
public final class TestPluginContext implements PluginContext, Sessions {
    private final Config config;
    private final Config rootConfig;
    private final ScheduledExecutorService scheduler;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, Session> open = new ConcurrentHashMap<>();
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();

    /**
     * A context for the plugin with the settings a server would give it: the overrides (HOCON holding
     * {@code parley}, e.g. {@code parley.dice.max-dice = 5}) over the plugin's and core's {@code reference.conf}.
     * Without timers: {@link #scheduler()} throws.
     */
    public static TestPluginContext of(ParleyPlugin plugin, String overrides) {
        TestConfig config = new TestConfig();
        config.add(overrides);
        return new TestPluginContext(plugin.name(), config.resolve(List.of(plugin)).getConfig("parley"));
    }

    /** A context without timers: {@link #scheduler()} throws. */
    public TestPluginContext(String pluginName, Config parley) {
        this(pluginName, parley, null);
    }

    /**
     * @param pluginName the plugin's {@code name()}: its section of {@code parley} is its {@link #config()}
     * @param parley     the settings under {@code parley} (its {@link #rootConfig()}), e.g. {@code dice.max-dice = 5}
     * @param scheduler  what {@link #scheduler()} returns, which the test shuts down; null for none
     */
    public TestPluginContext(String pluginName, Config parley, ScheduledExecutorService scheduler) {
        this.rootConfig = Objects.requireNonNull(parley, "parley");
        this.config = parley.hasPath(pluginName) ? parley.getConfig(pluginName) : ConfigFactory.empty();
        this.scheduler = scheduler;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Config rootConfig() {
        return rootConfig;
    }

    @Override
    public Sessions sessions() {
        return this;
    }

    /** @throws UnsupportedOperationException when the context was made without a scheduler */
    @Override
    public ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            throw new UnsupportedOperationException("this TestPluginContext has no scheduler; pass one to its"
                    + " constructor");
        }
        return scheduler;
    }

    @Override
    public void addSessionListener(SessionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @throws IllegalStateException when a service of that type was provided already, as core refuses it */
    @Override
    public <T> void provide(Class<T> type, T service) {
        if (services.putIfAbsent(type, Objects.requireNonNull(service, "service")) != null) {
            throw new IllegalStateException(type.getName() + " was provided twice");
        }
    }

    @Override
    public <T> Optional<T> lookup(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }

    /** The session connected: it is among {@link #all()} and the listeners hear {@code sessionOpened}. */
    public <S extends Session> S open(S session) {
        if (open.putIfAbsent(session.id(), session) == null) {
            listeners.forEach(l -> l.sessionOpened(session));
        }
        return session;
    }

    /**
     * The session ended for good (QUIT, or a dropped connection without resumption): it leaves {@link #all()},
     * is closed, and the listeners hear {@code sessionEnded} with the reason.
     */
    public void end(Session session, String reason) {
        if (open.remove(session.id()) != null) {
            session.close(null, reason);
            listeners.forEach(l -> l.sessionEnded(session, reason));
        }
    }

    @Override
    public Collection<Session> all() {
        return List.copyOf(open.values());
    }

    @Override
    public int count() {
        return open.size();
    }

    @Override
    public void send(Iterable<? extends Session> recipients, Frame event) {
        for (Session recipient : recipients) {
            recipient.send(event);
        }
    }
}
