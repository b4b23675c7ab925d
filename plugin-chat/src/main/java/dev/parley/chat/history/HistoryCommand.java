package dev.parley.chat.history;

import dev.parley.chat.direct.DirectMessages;
import dev.parley.chat.name.Name;
import dev.parley.chat.nick.NickRegistry;
import dev.parley.chat.protocol.ChatErrors;
import dev.parley.chat.room.Member;
import dev.parley.chat.room.Room;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.store.Conversations;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code HISTORY <#room|nick> [n | LATEST [n] | BEFORE <ref> [n] | AFTER <ref> [n] | AROUND <ref> [n] |
 * BETWEEN <ref> <ref> [n]]}: a page of a room's messages (for its members) or of the caller's private
 * conversation with an account (for an authenticated caller), as the events that were sent, oldest first.
 */
public final class HistoryCommand {
    private final NickRegistry nicks;
    private final MessageStore store;
    private final Supplier<Optional<Accounts>> accounts;
    private final int pageSize;

    /**
     * @param accounts the accounts if a plugin (auth) provides them, asked on each command
     * @param pageSize {@code parley.chat.history-page}
     */
    public HistoryCommand(NickRegistry nicks, MessageStore store, Supplier<Optional<Accounts>> accounts, int pageSize) {
        this.nicks = nicks;
        this.store = store;
        this.accounts = accounts;
        this.pageSize = pageSize;
    }

    public Command command() {
        return Command.sync("HISTORY", "Page back through a room's messages or your private messages with an"
                + " account", this::history).withUsage("<#room|nick> [n | LATEST [n] | BEFORE <ref> [n] |"
                + " AFTER <ref> [n] | AROUND <ref> [n] | BETWEEN <ref> <ref> [n]]");
    }

    Reply history(Request request) {
        List<String> args = request.arguments();
        Optional<Member> me = nicks.of(request.session());
        if (me.isEmpty()) {
            return Reply.error(ChatErrors.NOT_REGISTERED, "choose a chat nick first: NICK <nick>");
        }
        String target = args.get(0);
        HistoryQuery.Parsed query = HistoryQuery.parse(args.subList(1, args.size()), pageSize);
        Optional<Name> room = Name.room(target);
        Optional<Name> nick = room.isPresent() ? Optional.empty() : Name.nick(target);
        if (room.isEmpty() && nick.isEmpty()) {
            return Reply.error(ChatErrors.BAD_NAME, "'" + target + "' is neither a room (#name) nor a nick");
        }
        if (query.error() != null) {
            return usage(query.error());
        }
        try {
            return room.isPresent() ? room(request, me.get(), room.get(), query) : direct(request, nick.get(), query);
        } catch (StoreUnavailableException e) {
            return Reply.error(ChatErrors.STORE_UNAVAILABLE, "the message store cannot be read right now; try"
                    + " HISTORY again in a moment");
        }
    }

    private Reply room(Request request, Member me, Name name, HistoryQuery.Parsed query) {
        Optional<Room> room = me.room(name.key());
        if (room.isEmpty()) {
            return Reply.error(ChatErrors.NOT_IN_ROOM, "you are not in " + name.display() + "; JOIN "
                    + name.display() + " first");
        }
        // A cluster's servers all keep their rooms' messages in the one shared store, as a single server does.
        String shown = room.get().name().display();
        Reply missing = missing(name.key(), shown, query);
        if (missing != null) {
            return missing;
        }
        List<Frame> lines = page(name.key(), query.page(), Room::message);
        lines.forEach(request::data);
        return Reply.ok(shown, Integer.toString(lines.size()));
    }

    private Reply direct(Request request, Name nick, HistoryQuery.Parsed query) {
        Optional<String> mine = request.session().account();
        if (mine.isEmpty()) {
            return Reply.error(ChatErrors.NOT_AUTHENTICATED, "HISTORY of private messages is kept for accounts:"
                    + " AUTH <user> <password> first");
        }
        Optional<String> theirs = accountOf(nick);
        if (theirs.isEmpty()) {
            return Reply.error(ChatErrors.NO_SUCH_NICK, "nobody is " + nick.display()
                    + " right now and no account has that name");
        }
        String conversation = Conversations.direct(mine.get(), theirs.get());
        Reply missing = missing(conversation, nick.display(), query);
        if (missing != null) {
            return missing;
        }
        List<Frame> lines = page(conversation, query.page(), DirectMessages::whisper);
        lines.forEach(request::data);
        return Reply.ok(nick.display(), Integer.toString(lines.size()));
    }

    /** The account behind a nick: the online holder's, else the account of that name. */
    private Optional<String> accountOf(Name nick) {
        Optional<Member> online = nicks.byKey(nick.key());
        if (online.isPresent() && online.get().session().account().isPresent()) {
            return online.get().session().account();
        }
        return accounts.get().flatMap(a -> a.owner(nick.display()));
    }

    private Reply missing(String conversation, String shown, HistoryQuery.Parsed query) {
        for (long id : query.msgids()) {
            if (!store.contains(conversation, id)) {
                return noSuchMessage(shown, id);
            }
        }
        return null;
    }

    private List<Frame> page(String conversation, Page page, Function<StoredMessage, Frame> event) {
        return store.page(conversation, page).stream().map(event).toList();
    }

    private static Reply noSuchMessage(String shown, long id) {
        return Reply.error(ChatErrors.NO_SUCH_MESSAGE, shown + " never had a message " + id
                + "; HISTORY " + shown + " shows the latest msgids");
    }

    private static Reply usage(String why) {
        return Reply.error(ChatErrors.BAD_ARGUMENT, why + "; write HISTORY <#room|nick> "
                + "followed by " + HistoryQuery.FORMS + ", e.g. HISTORY #lobby BEFORE 120 50");
    }
}
