package dev.parley.filetransfer.harness;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.Sessions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/** The server as a plugin sees it: a config section, a real timer, the directory as a service. */
final class FakeContext implements PluginContext {
    private final Config config;
    private final ScheduledExecutorService scheduler;
    private final Directory directory;
    private final Collection<? extends Session> sessions;
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    final List<SessionListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param sessions the connected sessions, as the harness keeps them */
    FakeContext(Map<String, ?> settings, ScheduledExecutorService scheduler, Directory directory,
                Collection<? extends Session> sessions) {
        this.config = ConfigFactory.parseMap(settings);
        this.scheduler = scheduler;
        this.directory = directory;
        this.sessions = sessions;
        services.put(Directory.class, directory);
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Config rootConfig() {
        return ConfigFactory.empty();
    }

    @Override
    public Sessions sessions() {
        return new Sessions() {
            @Override
            public Collection<Session> all() {
                return List.copyOf(sessions);
            }

            @Override
            public int count() {
                return sessions.size();
            }

            @Override
            public void send(Iterable<? extends Session> recipients, Frame event) {
                recipients.forEach(s -> s.send(event));
            }
        };
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
        services.put(type, service);
    }

    @Override
    public <T> Optional<T> lookup(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }
}
