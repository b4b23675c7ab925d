package dev.parley.chat.nick;

import dev.parley.chat.name.Name;
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
import java.util.function.Supplier;

/** The verbs about nicks: NICK (choose or change one) and TELL (a private message to one). */
public final class NickCommands {
    private final NickRegistry nicks;
    private final int maxMessageBytes;
    private final Supplier<Optional<Resumption>> resumption;
    private final Supplier<Optional<Accounts>> accounts;

    /**
     * @param maxMessageBytes {@code parley.chat.max-message-bytes}
     * @param resumption      the resume-token service if a plugin (heartbeat) provides one; asked on each NICK
     *                        because that plugin may start after chat
     * @param accounts        the accounts if a plugin (auth) provides them: their names are reserved nicks;
     *                        asked on each NICK for the same reason
     */
    public NickCommands(NickRegistry nicks, int maxMessageBytes, Supplier<Optional<Resumption>> resumption,
                        Supplier<Optional<Accounts>> accounts) {
        this.nicks = nicks;
        this.maxMessageBytes = maxMessageBytes;
        this.resumption = resumption;
        this.accounts = accounts;
    }

    public List<Command> commands() {
        return List.of(
                Command.sync("NICK", "Choose or change your nick, which registers you: NICK <nick>", this::nick)
                        .beforeRegistration(),
                Command.sync("TELL", "Send a private message to one nick: TELL <nick> :<text>", this::tell));
    }

    Reply nick(Request request) {
        List<String> args = request.arguments();
        if (args.size() != 1) {
            return Reply.error(ChatErrors.BAD_ARGUMENT, "write NICK <nick>, e.g. NICK alice");
        }
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
        Optional<String> token = resumption.get().map(r -> r.tokenFor(request.session()));
        return token.map(t -> Reply.ok(nick.get().display(), t)).orElseGet(() -> Reply.ok(nick.get().display()));
    }

    Reply tell(Request request) {
        List<String> args = request.arguments();
        if (args.size() != 2) {
            return Reply.error(ChatErrors.BAD_ARGUMENT, "write TELL <nick> :<text>, e.g. TELL bob :hi there");
        }
        Optional<Name> nick = Name.nick(args.get(0));
        if (nick.isEmpty()) {
            return Reply.error(ChatErrors.BAD_NAME, "'" + args.get(0) + "' is not a nick: " + Name.NICK_FORM);
        }
        Reply bad = MessageText.check("TELL", args.get(1), maxMessageBytes);
        if (bad != null) {
            return bad;
        }
        Optional<Member> from = nicks.of(request.session());
        Optional<Member> to = nicks.byKey(nick.get().key());
        if (from.isPresent() && nicks.isClustered()) {
            // Through the target's server's log, so a whisper the cluster accepted survives that server's death.
            Optional<String> shown = nicks.whisperInCluster(nick.get(), from.get().nick(), args.get(1));
            if (shown.isPresent()) {
                return Reply.ok(shown.get());
            }
        }
        if (to.isEmpty()) {
            return Reply.error(ChatErrors.NO_SUCH_NICK, "nobody is " + nick.get().display()
                    + " right now; WHO <#room> shows who is in a room");
        }
        if (from.isEmpty()) {
            return Reply.error(ChatErrors.NOT_REGISTERED, "choose a chat nick first: NICK <nick>");
        }
        to.get().session().send(Frame.of("WHISPER").param(from.get().nick().display()).trailing(args.get(1)).build());
        return Reply.ok(to.get().nick().display());
    }
}
