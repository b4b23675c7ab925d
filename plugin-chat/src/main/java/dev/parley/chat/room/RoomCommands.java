package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.chat.protocol.ChatErrors;
import dev.parley.chat.protocol.MessageText;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.store.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The room verbs: JOIN, PART, SAY, TOPIC, WHO, ROOMS. Each method is named after its verb (HISTORY: HistoryCommand). */
public final class RoomCommands {
    private final RoomRegistry rooms;
    private final Members members;
    private final int maxRoomsPerSession;
    private final int maxMessageBytes;
    private final JoinGate gate;
    private final RoomModeration moderation; // null: no roles to show

    /** Asked before a member enters a room: a reason to refuse, or none. */
    @FunctionalInterface
    public interface JoinGate {
        /** @param key the key JOIN gave, or null */
        Optional<Reply> refuse(Member me, Name room, String key);
    }

    /**
     * @param maxRoomsPerSession {@code parley.chat.max-rooms-per-session}
     * @param maxMessageBytes    {@code parley.chat.max-message-bytes}
     */
    public RoomCommands(RoomRegistry rooms, Members members, int maxRoomsPerSession, int maxMessageBytes) {
        this(rooms, members, maxRoomsPerSession, maxMessageBytes, null);
    }

    /** @param moderation bans and the rejoin delay checked on JOIN, roles shown by WHO; null for none */
    public RoomCommands(RoomRegistry rooms, Members members, int maxRoomsPerSession, int maxMessageBytes,
                        RoomModeration moderation) {
        this.moderation = moderation;
        this.gate = moderation != null ? moderation : (me, room, key) -> Optional.empty();
        this.rooms = rooms;
        this.members = members;
        this.maxRoomsPerSession = maxRoomsPerSession;
        this.maxMessageBytes = maxMessageBytes;
    }

    public List<Command> commands() {
        return List.of(
                Command.sync("JOIN", "Enter a room, creating it if needed", asMember(this::join))
                        .withUsage("<#room> [key]"),
                Command.sync("PART", "Leave a room", asMember(this::part)).withUsage("<#room> [:reason]"),
                // Overlapping: a session's pipelined SAYs are in the store's hands together, so it commits them together.
                Command.async("SAY", "Send a message to a room", request -> members
                        .of(request.session())
                        .map(me -> say(request, me))
                        .orElseGet(() -> CompletableFuture.completedFuture(noNick())))
                        .withUsage("<#room> :<text>").orderedOverlap(),
                Command.sync("TOPIC", "Show a room's topic, set it with :<text>, clear it with a bare :",
                        asMember(this::topic)).withUsage("<#room> [:text]"),
                Command.sync("WHO", "List a room's members", this::who).withUsage("<#room>"),
                Command.sync("ROOMS", "List every room with its member count and topic", this::rooms).withUsage(""));
    }

    Reply join(Request request, Member me) {
        List<String> args = request.arguments();
        Optional<Name> name = Name.room(args.get(0));
        if (name.isEmpty()) {
            return badRoom(args.get(0));
        }
        if (!me.isIn(name.get().key()) && me.roomCount() >= maxRoomsPerSession) {
            return Reply.error(ChatErrors.TOO_MANY_ROOMS, "you are in " + me.roomCount()
                    + " rooms, the most allowed; PART one before joining " + name.get().display());
        }
        if (!me.isIn(name.get().key())) {
            Optional<Reply> refused = gate.refuse(me, name.get(), request.argument(1));
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        Room room;
        try {
            room = rooms.join(me, name.get());
        } catch (StoreUnavailableException e) {
            return storeUnavailable("JOIN");
        }
        return Reply.ok(room.name().display());
    }

    Reply part(Request request, Member me) {
        List<String> args = request.arguments();
        Optional<Name> name = Name.room(args.get(0));
        if (name.isEmpty()) {
            return badRoom(args.get(0));
        }
        Optional<Room> room = rooms.find(name.get().key());
        String reason = args.size() == 2 && !args.get(1).isEmpty() ? args.get(1) : null;
        if (room.isEmpty() || !room.get().leave(me, reason)) {
            return Reply.error(ChatErrors.NOT_IN_ROOM, "you are not in " + name.get().display()
                    + ", so there is nothing to leave; ROOMS lists the rooms");
        }
        return Reply.ok(room.get().name().display());
    }

    /** Answers once the message is kept and sent, or that the store could not keep it (then nobody got it). */
    CompletableFuture<Reply> say(Request request, Member me) {
        List<String> args = request.arguments();
        Optional<Name> name = Name.room(args.get(0));
        if (name.isEmpty()) {
            return done(badRoom(args.get(0)));
        }
        Reply bad = MessageText.check("SAY", args.get(1), maxMessageBytes);
        if (bad != null) {
            return done(bad);
        }
        Optional<Room> room = me.room(name.get().key());
        if (room.isEmpty()) {
            return done(notInRoom(name.get()));
        }
        if (moderation != null) {
            Optional<Reply> refused = moderation.refuseSay(me, room.get());
            if (refused.isPresent()) {
                return done(refused.get());
            }
        }
        Reply ok = Reply.ok(room.get().name().display());
        return room.get().say(me, args.get(1)).handle((sent, failure) -> {
            if (failure == null) {
                return ok;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof StoreUnavailableException) {
                return storeUnavailable("SAY");
            }
            throw new CompletionException(cause);
        });
    }

    /** {@code STORE_UNAVAILABLE}: nothing was kept or sent; the client may try again. */
    public static Reply storeUnavailable(String verb) {
        return Reply.error(ChatErrors.STORE_UNAVAILABLE, "the message store cannot keep messages right now, so "
                + verb + " did nothing; try again in a moment");
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    Reply topic(Request request, Member me) {
        List<String> args = request.arguments();
        Optional<Name> name = Name.room(args.get(0));
        if (name.isEmpty()) {
            return badRoom(args.get(0));
        }
        if (args.size() == 1) {
            return rooms.ledger().find(name.get().key())
                    .map(view -> Reply.ok(view.display()).withText(view.topic()))
                    .orElseGet(() -> noSuchRoom(name.get()));
        }
        String text = args.get(1);
        if (!text.isEmpty()) {
            Reply bad = MessageText.check("TOPIC", text, maxMessageBytes);
            if (bad != null) {
                return bad;
            }
        }
        Optional<Room> room = me.room(name.get().key());
        if (room.isEmpty()) {
            return notInRoom(name.get());
        }
        if (moderation != null) {
            Optional<Reply> refused = moderation.refuseTopic(me, room.get());
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        room.get().topic(me, text);
        return Reply.ok(room.get().name().display());
    }

    Reply who(Request request) {
        List<String> args = request.arguments();
        Optional<Name> name = Name.room(args.get(0));
        if (name.isEmpty()) {
            return badRoom(args.get(0));
        }
        Optional<RoomLedger.View> view = rooms.ledger().find(name.get().key());
        if (view.isEmpty()) {
            return noSuchRoom(name.get());
        }
        String shown = view.get().display();
        List<String> nicks = view.get().members();
        List<Session> sessions = view.get().sessions();
        Map<String, String> roles = moderation == null || sessions.isEmpty() ? Map.of() : moderation.roles(name.get());
        for (int i = 0; i < nicks.size(); i++) {
            Frame.Builder line = Frame.of("MEMBER").params(shown, nicks.get(i));
            Optional<String> role = roles.isEmpty() ? Optional.empty() : moderation.shownRole(sessions.get(i), roles);
            role.ifPresent(line::param);
            request.data(line.build());
        }
        return Reply.ok(shown, Integer.toString(nicks.size()));
    }

    Reply rooms(Request request) {
        List<RoomLedger.View> all = rooms.ledger().all();
        for (RoomLedger.View view : all) {
            Frame.Builder line = Frame.of("ROOM").params(view.display(), Integer.toString(view.members().size()));
            if (view.topic() != null) {
                line.trailing(view.topic());
            }
            request.data(line.build());
        }
        return Reply.ok(Integer.toString(all.size()));
    }

    /** A room verb that acts as the session's member; a session without a chat nick cannot. */
    @FunctionalInterface
    interface MemberHandler {
        Reply handle(Request request, Member me);
    }

    private Command.SyncHandler asMember(MemberHandler handler) {
        return request -> members.of(request.session())
                .map(me -> handler.handle(request, me))
                .orElseGet(RoomCommands::noNick);
    }

    private static Reply badRoom(String given) {
        return Reply.error(ChatErrors.BAD_NAME, "'" + given + "' is not a room name: " + Name.ROOM_FORM
                + ", e.g. #lobby");
    }

    private static Reply noSuchRoom(Name name) {
        return Reply.error(ChatErrors.NO_SUCH_ROOM, "there is no room " + name.display()
                + "; ROOMS lists the rooms, JOIN " + name.display() + " creates it");
    }

    private static Reply notInRoom(Name name) {
        return Reply.error(ChatErrors.NOT_IN_ROOM, "you are not in " + name.display() + "; JOIN "
                + name.display() + " first");
    }

    private static Reply noNick() {
        return Reply.error(ChatErrors.NOT_REGISTERED, "choose a chat nick first: NICK <nick>");
    }
}
