package dev.parley.testkit;

import dev.parley.core.spi.Directory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the chat plugin's {@link Directory}, so a plugin that looks up names and rooms can be tested
 * without chat: add it as a plugin ({@code ParleyTestKit.start(new MyPlugin(), new TestDirectory())}) and
 * arrange names and rooms from the test with {@link #register} and {@link #join}. It adds no commands and
 * forgets sessions when they end. Names and rooms compare case-insensitively. Thread-safe.
 */
public final class TestDirectory implements ParleyPlugin, Directory {
    private final Map<String, Session> names = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> rooms = new ConcurrentHashMap<>();

    /** {@code "testdirectory"}, as listed in {@code HELLO}. */
    @Override
    public String name() {
        return "testdirectory";
    }

    /** Provides this object as the server's {@link Directory}. */
    @Override
    public void start(PluginContext context) {
        context.provide(Directory.class, this);
        context.addSessionListener(new SessionListener() {
            @Override
            public void sessionEnded(Session session, String reason) {
                forget(session);
            }
        });
    }

    /** Registers the session under a name (also {@link Session#register}); replaces its previous name. */
    public void register(Session session, String name) {
        names.values().remove(session);
        names.put(canonical(name), session);
        session.register(name);
    }

    /** Makes the sessions members of the room ({@code #name}), creating it if needed. */
    public void join(String room, Session... sessions) {
        rooms.computeIfAbsent(canonical(room), r -> ConcurrentHashMap.newKeySet()).addAll(List.of(sessions));
    }

    /** Removes the session from the room; the room goes when its last member does. */
    public void part(String room, Session session) {
        rooms.computeIfPresent(canonical(room), (r, members) -> {
            members.remove(session);
            return members.isEmpty() ? null : members;
        });
    }

    /**
     * Forgets the session's name and memberships, as happens by itself when a session of the kit's server
     * ends; for tests that use this directory without a server.
     */
    public void forget(Session session) {
        names.values().remove(session);
        for (String room : List.copyOf(rooms.keySet())) {
            part(room, session);
        }
    }

    @Override
    public String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<Session> session(String name) {
        return Optional.ofNullable(names.get(canonical(name)));
    }

    @Override
    public Optional<Collection<Session>> members(String room) {
        Set<Session> members = rooms.get(canonical(room));
        return members == null ? Optional.empty() : Optional.of(List.copyOf(new LinkedHashSet<>(members)));
    }

    @Override
    public boolean isMember(String room, Session session) {
        Set<Session> members = rooms.get(canonical(room));
        return members != null && members.contains(session);
    }
}
