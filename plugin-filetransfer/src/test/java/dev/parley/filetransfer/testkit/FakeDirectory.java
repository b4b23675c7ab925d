package dev.parley.filetransfer.testkit;

import dev.parley.core.spi.Directory;
import dev.parley.core.spi.Session;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Nicks (case-insensitive) and rooms, as the chat plugin would keep them. */
public final class FakeDirectory implements Directory {
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> rooms = new ConcurrentHashMap<>();

    @Override
    public String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<Session> session(String name) {
        return Optional.ofNullable(sessions.get(canonical(name)));
    }

    @Override
    public Optional<Collection<Session>> members(String room) {
        Set<Session> members = rooms.get(canonical(room));
        return members == null ? Optional.empty() : Optional.of(List.copyOf(members));
    }

    @Override
    public boolean isMember(String room, Session session) {
        Set<Session> members = rooms.get(canonical(room));
        return members != null && members.contains(session);
    }

    void add(Session session) {
        sessions.put(canonical(session.name().orElseThrow()), session);
    }

    void remove(Session session) {
        sessions.remove(canonical(session.name().orElseThrow()), session);
        rooms.values().forEach(members -> members.remove(session));
    }

    public void join(String room, Session session) {
        rooms.computeIfAbsent(canonical(room), r -> ConcurrentHashMap.newKeySet()).add(session);
    }

    public Collection<Session> all() {
        return List.copyOf(sessions.values());
    }
}
