package dev.parley.chat;

import dev.parley.chat.nick.NickCommands;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.room.RoomCommands;
import dev.parley.chat.room.RoomRegistry;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Resumption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The chat plugin: nicks, rooms, room messages with history, private messages. See docs/protocol.md. */
public final class ChatPlugin implements ParleyPlugin {
    private final Clock clock;
    private List<Command> commands = List.of();

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
        NickRegistry nicks = new NickRegistry(context.sessions());
        RoomRegistry rooms = new RoomRegistry(context.sessions(), clock, settings.historySize());
        context.addSessionListener(new ChatSessions(nicks, rooms));
        context.provide(Directory.class, new ChatDirectory(nicks, rooms));
        List<Command> all = new ArrayList<>();
        all.addAll(new NickCommands(nicks, settings.maxMessageBytes(), () -> context.lookup(Resumption.class))
                .commands());
        all.addAll(new RoomCommands(rooms, nicks, settings.maxRoomsPerSession(), settings.maxMessageBytes(),
                settings.historySize()).commands());
        commands = List.copyOf(all);
    }

    @Override
    public List<Command> commands() {
        return commands;
    }
}
