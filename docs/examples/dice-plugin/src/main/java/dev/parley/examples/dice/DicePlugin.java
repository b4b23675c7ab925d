package dev.parley.examples.dice;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;

/**
 * {@code ROLL <N>d<M> [#room]}: answers {@code OK ROLL <total> :<dice>}; with a room, the caller's fellow
 * members also see {@code ROLLED <#room> <nick> <N>d<M> <total> :<dice>}. Rooms come from the
 * {@link Directory} another plugin (chat) provides.
 */
public final class DicePlugin implements ParleyPlugin {

    /** The caller is not a member of the room it rolled for. */
    static final ErrorCode NOT_IN_ROOM = new ErrorCode("NOT_IN_ROOM");
    /** A room was given but no running plugin provides rooms (chat is not enabled). */
    static final ErrorCode NO_ROOMS = new ErrorCode("NO_ROOMS");

    private final IntUnaryOperator die;
    private PluginContext context;
    private DiceSettings settings;

    /** The plugin as the server's ServiceLoader creates it: fair dice. */
    public DicePlugin() {
        this(sides -> ThreadLocalRandom.current().nextInt(1, sides + 1));
    }

    /** For tests: {@code die} gives one die's value (1 to sides) for a number of sides. */
    DicePlugin(IntUnaryOperator die) {
        this.die = die;
    }

    @Override
    public String name() {
        return "dice";
    }

    @Override
    public String description() {
        return "ROLL dice, alone or in front of a room";
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
        this.settings = DiceSettings.from(context.config());
    }

    @Override
    public List<Command> commands() {
        // Rolling alone needs no nick; rolling for a room needs membership, which needs one. The usage is
        // declared once: the server answers a wrong argument count with it, and HELP shows it.
        return List.of(Command.sync("ROLL", "Roll dice", this::roll).withUsage("<N>d<M> [#room]")
                .beforeRegistration());
    }

    private Reply roll(Request request) {
        Optional<Roll> roll = Roll.parse(request.argument(0), settings);
        String room = request.argument(1);
        if (roll.isEmpty() || (room != null && !room.startsWith("#"))) {
            return Reply.error(ErrorCode.BAD_SYNTAX, "use ROLL <N>d<M> [#room], 1 <= N <= " + settings.maxDice()
                    + ", 2 <= M <= " + settings.maxSides());
        }
        Optional<Directory> directory = room == null ? Optional.empty() : context.lookup(Directory.class);
        if (room != null && directory.isEmpty()) {
            return Reply.error(NO_ROOMS, "no running plugin provides rooms; roll without a room or enable chat");
        }
        if (room != null && !directory.get().isMember(room, request.session())) {
            return Reply.error(NOT_IN_ROOM, "join " + room + " first, then roll for it");
        }

        int[] dice = roll.get().throwWith(die);
        String total = Integer.toString(Arrays.stream(dice).sum());
        String each = Arrays.stream(dice).mapToObj(Integer::toString).collect(Collectors.joining(" "));
        if (room != null) {
            Session caller = request.session();
            Frame event = Frame.of("ROLLED")
                    .params(room, caller.name().orElseThrow(), roll.get().toString(), total)
                    .trailing(each)
                    .build();
            List<Session> others = directory.get().members(room).orElse(List.of()).stream()
                    .filter(member -> member.id() != caller.id())
                    .toList();
            context.sessions().send(others, event);
        }
        return Reply.ok(total).withText(each);
    }
}
