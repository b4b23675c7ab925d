package dev.parley.chat;

import com.typesafe.config.Config;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.Sessions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/** A plugin context without a server: fan-out calls each session's send, services sit in a map. */
final class FakeContext implements PluginContext, Sessions {
    private final Config config;
    final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    final Map<Long, FakeSession> open = new ConcurrentHashMap<>();
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();

    FakeContext(Config config) {
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Config rootConfig() {
        return config.atPath("parley.chat").getConfig("parley");
    }

    @Override
    public Sessions sessions() {
        return this;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        throw new UnsupportedOperationException("the chat plugin uses no timers");
    }

    @Override
    public void addSessionListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public <T> void provide(Class<T> type, T service) {
        if (services.putIfAbsent(type, service) != null) {
            throw new IllegalStateException(type + " provided twice");
        }
    }

    @Override
    public <T> Optional<T> lookup(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
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
