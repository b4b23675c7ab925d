package dev.parley.chat;

import com.typesafe.config.Config;
import dev.parley.chat.cluster.ClusterChat;
import dev.parley.chat.direct.DirectMessages;
import dev.parley.chat.direct.Mailboxes;
import dev.parley.chat.history.HistoryCommand;
import dev.parley.chat.nick.NickCommands;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.KickCommand;
import dev.parley.chat.room.ModerationSettings;
import dev.parley.chat.room.RoomCommands;
import dev.parley.chat.room.RoomModeration;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Resumption;
import dev.parley.core.spi.RoomBans;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.SessionHandover;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.store.MemoryMessageStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The chat plugin: nicks, rooms, room messages with history, private messages. See docs/protocol.md. */
public final class ChatPlugin implements ParleyPlugin {
    /** How long SAY waits, in a cluster, for the room's log to accept a message, unless the cluster says. */
    private static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(5);
    /** core's parley.store defaults, for a server whose configuration lacks core's section (a plugin test). */
    private static final long DEFAULT_MAX_MESSAGES_PER_ROOM = 1_000_000;
    private static final int DEFAULT_MAX_OFFLINE_MESSAGES = 1000;
    private final Clock clock;
    private List<Command> commands = List.of();
    /** KICK, offered only where an accounts plugin can make someone an operator (see commands()). */
    private Command kick;
    private PluginContext context;
    private ClusterChat cluster;
    /** A store of chat's own, when the server offered none (an embedded server, a test kit); closed on stop. */
    private MessageStore ownStore;

    public ChatPlugin() {
        this(Clock.systemUTC());
    }

    /** @param clock stamps room messages; tests pass a fixed one */
    ChatPlugin(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String description() {
        return "nicks, rooms, room messages with history, private messages";
    }

    @Override
    public void start(PluginContext context) {
        ChatSettings settings = ChatSettings.from(context.config());
        Config parley = context.rootConfig();
        MessageStore store = context.lookup(MessageStore.class).orElseGet(() -> {
            ownStore = new MemoryMessageStore(parley.hasPath("store.retention.max-messages-per-room")
                    ? parley.getLong("store.retention.max-messages-per-room") : DEFAULT_MAX_MESSAGES_PER_ROOM);
            return ownStore;
        });
        int mailboxCapacity = parley.hasPath("store.max-offline-messages")
                ? parley.getInt("store.max-offline-messages") : DEFAULT_MAX_OFFLINE_MESSAGES;
        // Chosen once, here: the ledgers the registries consult (a cluster's also hands sessions over and
        // checkpoints them). The commands call the ledgers only; the chat contract tests run against both.
        NickRegistry nicks;
        RoomRegistry rooms;
        Optional<ClusterService> clusterService = context.lookup(ClusterService.class);
        if (clusterService.isPresent()) {
            cluster = new ClusterChat(clusterService.get(), context.sessions(), context.scheduler(), store,
                    settings.historyPage(), appendTimeout(context.rootConfig()), resumeGrace(context.rootConfig()));
            nicks = new NickRegistry(context.sessions(), cluster.nicks());
            rooms = new RoomRegistry(context.sessions(), clock, store, cluster.rooms());
            cluster.start(nicks, rooms);
            context.addSessionListener(cluster);
            context.provide(SessionHandover.class, cluster.handover());
        } else {
            nicks = new NickRegistry(context.sessions());
            rooms = new RoomRegistry(context.sessions(), clock, store);
        }
        rooms.keepTopicsIn(() -> context.lookup(AccountStore.class));
        DirectMessages direct = new DirectMessages(store, clock, mailboxCapacity);
        Mailboxes mailboxes = new Mailboxes(direct, nicks);
        context.addSessionListener(new ChatSessions(nicks, rooms));
        context.addSessionListener(mailboxes);
        context.provide(Directory.class, new ChatDirectory(nicks, rooms));
        List<Command> all = new ArrayList<>();
        all.addAll(new NickCommands(nicks, settings.maxMessageBytes(), () -> context.lookup(Resumption.class),
                () -> context.lookup(Accounts.class), direct, mailboxes).commands());
        ModerationSettings moderationSettings = ModerationSettings.from(ChatSettings.withDefaults(context.config()));
        RoomModeration moderation = new RoomModeration(rooms, nicks, nicks::byKey,
                () -> context.lookup(AccountStore.class), () -> context.lookup(Accounts.class),
                moderationSettings.reservedRooms(),
                moderationSettings.kickRejoinDelay(), settings.maxMessageBytes(), clock);
        // In a cluster another server may change a room's roles, settings and bans in the shared store; a ban it
        // keeps removes the members this server holds too (off the cluster's event thread: it reads the store).
        rooms.ledger().onModerationChanged(roomKey -> {
            moderation.forget(roomKey);
            context.scheduler().execute(() -> moderation.enforceBans(roomKey));
        });
        all.addAll(new RoomCommands(rooms, nicks, settings.maxRoomsPerSession(), settings.maxMessageBytes(),
                moderation).commands());
        all.addAll(moderation.commands());
        context.provide(RoomBans.class, moderation);
        all.add(new HistoryCommand(nicks, store, () -> context.lookup(Accounts.class), settings.historyPage()).command());
        kick = new KickCommand(rooms, settings.maxMessageBytes(), () -> context.lookup(Accounts.class), moderation)
                .command();
        commands = List.copyOf(all);
        this.context = context;
    }

    /**
     * The chat's commands, with KICK only when a plugin provides {@link Accounts} (auth): without one nobody is
     * an operator, and HELP should not list a command nobody can use. Core asks after every plugin started, so
     * an accounts plugin listed after chat counts.
     */
    @Override
    public List<Command> commands() {
        if (context == null || context.lookup(Accounts.class).isEmpty()) {
            return commands;
        }
        List<Command> all = new ArrayList<>(commands);
        all.add(kick);
        return List.copyOf(all);
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.stop();
        }
        if (ownStore != null) {
            ownStore.close();
        }
    }

    /**
     * {@code parley.cluster.operation-timeout}, which the cluster module documents as how long SAY waits for the
     * cluster: read from there so that the operator's one setting reaches SAY, not a timeout of chat's own.
     */
    static Duration appendTimeout(Config parley) {
        return parley.hasPath("cluster.operation-timeout")
                ? parley.getDuration("cluster.operation-timeout") : DEFAULT_APPEND_TIMEOUT;
    }

    /**
     * How long a departed cluster node's sessions keep their nicks and rooms: the resume grace when the
     * heartbeat plugin offers resumption, else none.
     */
    private static Duration resumeGrace(Config parley) {
        boolean heartbeat = !parley.hasPath("plugins") || parley.getStringList("plugins").contains("heartbeat");
        return heartbeat && parley.hasPath("heartbeat.resume-grace")
                ? parley.getDuration("heartbeat.resume-grace") : Duration.ZERO;
    }
}
