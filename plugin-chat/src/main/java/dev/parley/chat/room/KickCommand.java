package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.chat.protocol.ChatErrors;
import dev.parley.chat.protocol.MessageText;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * KICK: a server operator, or an op or owner of the room, takes a nick out of a room. Who is a server operator
 * is not chat's business: core's {@link Accounts}, provided by the plugin that authenticates sessions (auth),
 * says so; room roles are {@link RoomModeration}'s.
 */
public final class KickCommand {
    /** The reason members see when the operator gave none. */
    static final String NO_REASON = "kicked by an operator";

    private final RoomRegistry rooms;
    private final int maxMessageBytes;
    private final Supplier<Optional<Accounts>> accounts;
    private final RoomModeration moderation;

    /**
     * @param maxMessageBytes {@code parley.chat.max-message-bytes}, the longest reason
     * @param accounts        the accounts if a plugin provides them; asked on each KICK, since that plugin may
     *                        start after chat. Without them nobody is an operator.
     */
    public KickCommand(RoomRegistry rooms, int maxMessageBytes, Supplier<Optional<Accounts>> accounts) {
        this(rooms, maxMessageBytes, accounts, null);
    }

    /** @param moderation lets room ops and owners KICK too, and holds the rejoin delay; null for neither */
    public KickCommand(RoomRegistry rooms, int maxMessageBytes, Supplier<Optional<Accounts>> accounts,
                       RoomModeration moderation) {
        this.moderation = moderation;
        this.rooms = rooms;
        this.maxMessageBytes = maxMessageBytes;
        this.accounts = accounts;
    }

    public Command command() {
        return Command.sync("KICK", "Operators: remove a nick from a room", this::kick)
                .withUsage("<#room> <nick> [:reason]");
    }

    Reply kick(Request request) {
        List<String> args = request.arguments();
        boolean operator = accounts.get().map(a -> a.isOperator(request.session())).orElse(false);
        boolean roomOp = !operator && moderation != null
                && Name.room(args.get(0)).map(r -> moderation.mayKick(request.session(), r)).orElse(false);
        if (!operator && !roomOp) {
            return Reply.error(ChatErrors.NOT_PERMITTED, "KICK needs op or owner in the room, or a server"
                    + " operator's account");
        }
        Optional<Name> room = Name.room(args.get(0));
        if (room.isEmpty()) {
            return Reply.error(ChatErrors.BAD_NAME, "'" + args.get(0) + "' is not a room name: " + Name.ROOM_FORM);
        }
        Optional<Name> nick = Name.nick(args.get(1));
        if (nick.isEmpty()) {
            return Reply.error(ChatErrors.BAD_NAME, "'" + args.get(1) + "' is not a nick: " + Name.NICK_FORM);
        }
        String reason = request.argument(2) != null && !args.get(2).isEmpty() ? args.get(2) : NO_REASON;
        Reply bad = MessageText.check("KICK", reason, maxMessageBytes);
        if (bad != null) {
            return bad;
        }
        return kick(room.get(), nick.get(), request.session().name().orElseThrow(), reason);
    }

    /**
     * The ledger's membership decides; the server holding the member removes it: this one (which then also
     * holds the rejoin delay) or, in a cluster, another.
     */
    private Reply kick(Name room, Name nick, String by, String reason) {
        Optional<RoomLedger.View> view = rooms.ledger().find(room.key());
        if (view.isEmpty()) {
            return Reply.error(ChatErrors.NO_SUCH_ROOM, "there is no room " + room.display() + "; ROOMS lists the rooms");
        }
        Optional<String> member = view.get().members().stream()
                .filter(shown -> Name.nick(shown).map(n -> n.key().equals(nick.key())).orElse(false)).findFirst();
        if (member.isEmpty()) {
            return notInRoom(nick, view.get());
        }
        Optional<Room> local = rooms.find(room.key());
        Optional<Member> here = local.flatMap(r -> r.members().stream()
                .filter(m -> m.nick().key().equals(nick.key())).findFirst());
        if (here.isEmpty()) {
            rooms.ledger().kickElsewhere(room.key(), nick, by, reason);
        } else if (local.get().kick(here.get(), by, reason)) {
            if (moderation != null) {
                moderation.kicked(here.get(), local.get().name());
            }
        } else {
            return notInRoom(nick, view.get());
        }
        return Reply.ok(view.get().display(), member.get());
    }

    private static Reply notInRoom(Name nick, RoomLedger.View room) {
        return Reply.error(ChatErrors.NOT_IN_ROOM, nick.display() + " is not in " + room.display()
                + "; WHO " + room.display() + " lists its members");
    }
}
