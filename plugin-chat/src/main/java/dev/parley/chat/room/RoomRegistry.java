package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.core.spi.Sessions;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.StoreUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms that have members, by key. The first JOIN opens a room, the last member leaving closes it (under the
 * room's lock, so a JOIN racing with it simply opens a fresh one). A closed room keeps its history and numbering
 * in the store, and its topic here while the server runs and, with an account store, as the room's {@code topic}
 * setting there: opened again, it continues after its last msgid with its topic, even across restarts (in a
 * cluster, of every server: the cluster's map of topics takes it from there).
 */
public final class RoomRegistry {
    private static final Logger log = LoggerFactory.getLogger(RoomRegistry.class);
    /**
     * Closed rooms whose topic (and last msgid, for appends still settling) is remembered, the most recently
     * closed; older ones lose their topic. Bounds the memory rooms that come and go can take.
     */
    static final int REMEMBERED_CLOSED_ROOMS = 10_000;

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Sessions sessions;
    private final Clock clock;
    private final MessageStore store;
    private final RoomLedger ledger;
    private final Map<String, Closed> closed = new LinkedHashMap<>() { // guarded by itself
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Closed> eldest) {
            return size() > REMEMBERED_CLOSED_ROOMS;
        }
    };

    /** What a closed room leaves behind here; the rest is in the store. */
    private record Closed(long lastMsgId, String topic) {
    }
    private final RoomListeners listeners = new RoomListeners();
    /** Where topics outlive the process; none until {@link #keepTopicsIn}. */
    private volatile Supplier<Optional<AccountStore>> topics = Optional::empty;
    /** The name of the room setting (in the {@link AccountStore}) that keeps its topic. */
    static final String TOPIC_SETTING = "topic";

    /**
     * The rooms of a single server ({@code LocalRoomLedger}).
     *
     * @param sessions fans events out
     * @param clock    stamps messages ({@code time} tag)
     * @param store    keeps every room's messages
     */
    public RoomRegistry(Sessions sessions, Clock clock, MessageStore store) {
        this.sessions = sessions;
        this.clock = clock;
        this.store = store;
        this.ledger = new LocalRoomLedger(this);
    }

    /** @param ledger the rooms as the servers sharing them see them (a cluster's) */
    public RoomRegistry(Sessions sessions, Clock clock, MessageStore store, RoomLedger ledger) {
        this.sessions = sessions;
        this.clock = clock;
        this.store = store;
        this.ledger = ledger;
    }

    /**
     * Keeps each room's topic in the account store (looked up on each use, as the launcher offers it), so that a
     * restarted server, or a restarted cluster (whose servers share the store), shows it again.
     */
    public void keepTopicsIn(Supplier<Optional<AccountStore>> store) {
        topics = store;
    }

    /** Writes the topic through; a store that cannot answer leaves it kept in memory only (logged). */
    private void keepTopic(Room room) {
        try {
            topics.get().ifPresent(accounts -> accounts.set(room.name().key(), TOPIC_SETTING, room.topic()));
        } catch (StoreUnavailableException e) {
            log.warn("the topic of {} is set but not kept past a restart: {}", room.name().display(), e.getMessage());
        }
    }

    /** The topic a room kept in the store, or null (none, or a store that cannot answer now). */
    private String keptTopic(String key) {
        try {
            return topics.get().map(accounts -> accounts.settings(key).get(TOPIC_SETTING)).orElse(null);
        } catch (StoreUnavailableException e) {
            return null;
        }
    }

    /** Every room as the servers sharing them see them: this server's alone, or the cluster's. */
    public RoomLedger ledger() {
        return ledger;
    }

    /** The store that keeps the rooms' messages. */
    MessageStore store() {
        return store;
    }

    /** Other plugins' listeners to rooms and membership (core's Directory.RoomListener). */
    public RoomListeners listeners() {
        return listeners;
    }

    /** The room with the name's key, if it has members. */
    public Optional<Room> find(String key) {
        return Optional.ofNullable(rooms.get(key));
    }

    /** Every room with members, ordered by key, as a snapshot. */
    public List<Room> all() {
        List<Room> all = new ArrayList<>(rooms.values());
        all.sort(Comparator.comparing(r -> r.name().key()));
        return all;
    }

    /**
     * Adds the member to the room, opening it (shown as {@code name}) if it has no members.
     *
     * @throws dev.parley.core.spi.store.StoreUnavailableException when the room must be opened and the store
     *                                                             cannot say where its numbering stands
     */
    public Room join(Member member, Name name) {
        if (!rooms.containsKey(name.key())) {
            name = ledger.shownAs(name);
        }
        while (true) {
            Room room = rooms.get(name.key());
            if (room == null) {
                room = open(name);
            }
            if (room.join(member)) {
                return room;
            }
        }
    }

    /**
     * Puts a member taken over from another server of a cluster into the room (shown as {@code name}), creating
     * it here if needed, without announcing it; {@code backlog} sends it what it missed.
     */
    public Room adopt(Member member, Name name, Room.Backlog backlog) {
        while (true) {
            Room room = rooms.get(name.key());
            if (room == null) {
                room = open(name);
            }
            if (room.adopt(member, backlog)) {
                return room;
            }
        }
    }

    /** The open room with the name's key, opening it where it was left (the store asked outside any lock). */
    private Room open(Name name) {
        long stored = ledger.numbersMessages() ? 0 : store.lastMsgId(name.key()).orElse(0);
        String keptTopic = rooms.containsKey(name.key()) ? null : keptTopic(name.key());
        return rooms.computeIfAbsent(name.key(), key -> {
            // Read here, not before the store: a room closing meanwhile may have appends the store has not yet.
            Closed left;
            synchronized (closed) {
                left = closed.get(key);
            }
            long lastMsgId = Math.max(stored, left == null ? 0 : left.lastMsgId());
            // In a cluster another server may have changed the topic since the room closed here: the store knows.
            String topic = left == null || ledger.numbersMessages() ? keptTopic : left.topic();
            Room room = new Room(name, sessions, clock, this::forget, ledger, store, lastMsgId, topic, listeners);
            room.keepTopicWith(this::keepTopic);
            return room;
        });
    }

    /**
     * Takes the member out of every room it is in; each room's other members get {@code LEFT} with the
     * reason (null for none).
     */
    public void leaveAll(Member member, String reason) {
        for (Room room : member.rooms()) {
            room.leave(member, reason);
        }
    }

    /** Called under the room's lock as its last member leaves. */
    private void forget(Room room) {
        if (rooms.remove(room.name().key(), room)) {
            synchronized (closed) {
                closed.put(room.name().key(), new Closed(room.lastMsgIdHeld(), room.topic()));
            }
        }
    }
}
