package dev.parley.chat.nick;

import dev.parley.chat.direct.DirectMessages;
import dev.parley.chat.direct.Mailboxes;
import dev.parley.chat.name.Name;
import dev.parley.chat.room.RoomCommands;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.chat.protocol.ChatErrors;
import dev.parley.chat.protocol.MessageText;
import dev.parley.chat.room.Member;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Resumption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** The verbs about nicks: NICK (choose or change one) and TELL (a private message to one). */
public final class NickCommands {
    private final NickRegistry nicks;
    private final int maxMessageBytes;
    private final Supplier<Optional<Resumption>> resumption;
    private final Supplier<Optional<Accounts>> accounts;
    private final DirectMessages direct;
    private final Mailboxes mailboxes;

    /**
     * @param maxMessageBytes {@code parley.chat.max-message-bytes}
     * @param resumption      the resume-token service if a plugin (heartbeat) provides one; asked on each NICK
     *                        because that plugin may start after chat
     * @param accounts        the accounts if a plugin (auth) provides them: their names are reserved nicks;
     *                        asked on each NICK for the same reason
     */
    public NickCommands(NickRegistry nicks, int maxMessageBytes, Supplier<Optional<Resumption>> resumption,
                        Supplier<Optional<Accounts>> accounts, DirectMessages direct, Mailboxes mailboxes) {
        this.nicks = nicks;
        this.maxMessageBytes = maxMessageBytes;
        this.resumption = resumption;
        this.accounts = accounts;
        this.direct = direct;
        this.mailboxes = mailboxes;
    }

    public List<Command> commands() {
        return List.of(
                Command.sync("NICK", "Choose or change your nick, which registers you", this::nick)
                        .withUsage("<nick>").beforeRegistration(),
                // Overlapping: a TELL between accounts waits for the store, and pipelined ones are committed together.
                Command.async("TELL", "Send a private message to one nick, or leave one for an offline account",
                        this::tell).withUsage("<nick> :<text>").orderedOverlap());
    }

    Reply nick(Request request) {
        List<String> args = request.arguments();
        Optional<Name> nick = Name.nick(args.get(0));
        if (nick.isEmpty()) {
            return Reply.error(ChatErrors.BAD_NAME, "'" + args.get(0) + "' is not a nick: " + Name.NICK_FORM
                    + "; choose another");
        }
        Optional<Accounts> accounts = this.accounts.get();
        if (!accounts.map(a -> a.mayTake(request.session(), nick.get().display())).orElse(true)) {
            return Reply.error(ChatErrors.NICK_RESERVED, nick.get().display() + " is the name of an account"
                    + " and only its holder may use it (after AUTH); choose another");
        }
        Optional<String> account = accounts.flatMap(a -> dev.parley.chat.name.Confusables.resembledAccount(a,
                request.session(), nick.get().display()));
        if (account.isPresent()) {
            return Reply.error(ChatErrors.NICK_RESERVED, nick.get().display() + " looks like " + account.get()
                    + ", the name of an account that only its holder may use (after AUTH); choose another");
        }
        if (nicks.claim(request.session(), nick.get()) == NickRegistry.Claim.IN_USE) {
            Optional<String> resembled = nicks.resembled(request.session(), nick.get());
            if (resembled.isPresent() && !Name.nick(resembled.get()).map(Name::key).orElse("")
                    .equals(nick.get().key())) {
                return Reply.error(ChatErrors.NICK_IN_USE, nick.get().display() + " looks like " + resembled.get()
                        + ", a nick in use; choose another");
            }
            return Reply.error(ChatErrors.NICK_IN_USE, "someone is " + nick.get().display()
                    + " already (nicks differing only in case are the same); choose another");
        }
        // OK NICK <nick> [<resume-token>]: each successful NICK issues a fresh token and revokes the last one.
        mailboxes.deliver(request.session());
        Optional<String> token = resumption.get().map(r -> r.tokenFor(request.session()));
        return token.map(t -> Reply.ok(nick.get().display(), t)).orElseGet(() -> Reply.ok(nick.get().display()));
    }

    CompletableFuture<Reply> tell(Request request) {
        List<String> args = request.arguments();
        Optional<Name> nick = Name.nick(args.get(0));
        if (nick.isEmpty()) {
            return done(Reply.error(ChatErrors.BAD_NAME, "'" + args.get(0) + "' is not a nick: " + Name.NICK_FORM));
        }
        String text = args.get(1);
        Reply bad = MessageText.check("TELL", text, maxMessageBytes);
        if (bad != null) {
            return done(bad);
        }
        Optional<Member> from = nicks.of(request.session());
        Optional<String> fromAccount = request.session().account();
        if (from.isPresent()) {
            NickLedger.Whisper routed = nicks.whisper(nick.get(), from.get().nick(), text);
            if (routed.route() == NickLedger.Route.SENT) {
                return done(Reply.ok(routed.shown()));
            }
            if (routed.route() == NickLedger.Route.NOBODY) {
                boolean owned = accounts.get().flatMap(a -> a.owner(nick.get().display())).isPresent();
                return done(noSuchNick(nick.get(), owned, fromAccount));
            }
        }
        Optional<Member> to = nicks.byKey(nick.get().key());
        if (to.isEmpty()) {
            Optional<String> owner = accounts.get().flatMap(a -> a.owner(nick.get().display()));
            if (from.isEmpty() || fromAccount.isEmpty() || owner.isEmpty()) {
                return done(noSuchNick(nick.get(), owner.isPresent(), fromAccount));
            }
            return leave(fromAccount.get(), owner.get(), from.get().nick().display(), nick.get().display(), text);
        }
        if (from.isEmpty()) {
            return done(Reply.error(ChatErrors.NOT_REGISTERED, "choose a chat nick first: NICK <nick>"));
        }
        Member recipient = to.get();
        Optional<String> toAccount = recipient.session().account();
        if (fromAccount.isEmpty() || toAccount.isEmpty()) {
            recipient.session().send(Frame.of("WHISPER").param(from.get().nick().display()).trailing(text).build());
            return done(Reply.ok(recipient.nick().display()));
        }
        // Between accounts the message is kept in their conversation first; it is sent once committed.
        DirectMessages.Appended appended;
        try {
            appended = direct.append(fromAccount.get(), toAccount.get(), from.get().nick().display(),
                    recipient.nick().display(), text);
        } catch (StoreUnavailableException e) {
            return done(RoomCommands.storeUnavailable("TELL"));
        }
        return appended.stored().handle((ignored, failure) -> {
            if (failure != null) {
                return unavailableOrThrow(failure);
            }
            recipient.session().send(appended.whisper());
            return Reply.ok(recipient.nick().display());
        });
    }

    /** {@code NO_SUCH_NICK}, saying when an offline account's holder could have been left the message. */
    private static Reply noSuchNick(Name nick, boolean owned, Optional<String> fromAccount) {
        return Reply.error(ChatErrors.NO_SUCH_NICK, "nobody is " + nick.display()
                + " right now; WHO <#room> shows who is in a room"
                + (owned && fromAccount.isEmpty() ? " (only authenticated users may leave"
                + " messages for offline accounts)" : ""));
    }

    /** A TELL to an offline account: kept in its mailbox, {@code OK TELL <nick> :stored}. */
    private CompletableFuture<Reply> leave(String fromAccount, String toAccount, String fromNick, String toNick,
                                           String text) {
        CompletableFuture<DirectMessages.Deposit> deposited;
        try {
            deposited = direct.deposit(fromAccount, toAccount, fromNick, toNick, text);
        } catch (StoreUnavailableException e) {
            return done(RoomCommands.storeUnavailable("TELL"));
        }
        return deposited.handle((outcome, failure) -> {
            if (failure != null) {
                return unavailableOrThrow(failure);
            }
            if (outcome == DirectMessages.Deposit.MAILBOX_FULL) {
                return Reply.error(ChatErrors.MAILBOX_FULL, toNick + " is offline and has as many messages"
                        + " waiting as may wait; try again once " + toNick + " has logged in");
            }
            return Reply.ok(toNick).withText("stored");
        });
    }

    private static Reply unavailableOrThrow(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StoreUnavailableException) {
            return RoomCommands.storeUnavailable("TELL");
        }
        throw new CompletionException(cause);
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
