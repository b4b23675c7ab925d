package dev.parley.chat.room;

import dev.parley.chat.name.Name;
import dev.parley.chat.protocol.ChatErrors;
import dev.parley.chat.protocol.MessageText;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.RoomBans;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.AccountStore.Ban;
import dev.parley.core.spi.store.StoreUnavailableException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room ownership, roles, bans and settings: CLAIM, GRANT, BAN, UNBAN, BANS, SETTINGS, SET, INVITE; the checks
 * JOIN, SAY and TOPIC make (bans, the rejoin delay after a KICK, key, invite-only, guests, moderated, topic-lock);
 * bans for other plugins (core's {@link RoomBans}, for the admin API)
 * and the roles WHO shows. State lives in the server's {@link AccountStore} (found on each use, as
 * the launcher offers it), keyed by the room's key; accounts by their chat key. Who is a global operator and
 * which accounts exist is the business of core's {@link Accounts}, provided by the auth plugin.
 */
public final class RoomModeration implements RoomCommands.JoinGate, RoomBans {
    private static final Logger log = LoggerFactory.getLogger(RoomModeration.class);

    /** The room settings with their defaults, in the order SETTINGS lists them. */
    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("key", "off");
        d.put("invite-only", "off");
        d.put("moderated", "off");
        d.put("topic-lock", "off");
        d.put("guests", "on");
        return java.util.Collections.unmodifiableMap(d);
    }

    /** The roles of a room, lowest first; {@code member} is the absence of a role. */
    enum Role {
        MEMBER, VOICE, OP, OWNER;

        String wire() {
            return this == OP ? "op" : name().toLowerCase(Locale.ROOT);
        }

        static Optional<Role> parse(String text) {
            for (Role r : values()) {
                if (r.wire().equals(text)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,8})([smhd])");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** Kicks (and invites) remembered at most; past this many, expired ones are dropped first. */
    private static final int MAX_KICKS = 10_000;

    private final RoomRegistry rooms;
    private final Members members;
    private final Supplier<Optional<AccountStore>> store;
    private final Supplier<Optional<Accounts>> accounts;
    private final Set<String> reservedRooms;
    private final Duration kickRejoinDelay;
    private final int maxMessageBytes;
    private final Clock clock;
    /** Room key + "\n" + who (account or nick key) to when the kicked one may rejoin. */
    private final Map<String, Instant> kicks = new ConcurrentHashMap<>();
    /** Room key + "\n" + who to when an INVITE lapses; used once. */
    private final Map<String, Instant> invites = new ConcurrentHashMap<>();
    /**
     * Each room's settings and roles as last read from the store: SAY and TOPIC consult them on every call, and a
     * store read per message would cost a SQL query each. Written through on SET, CLAIM and GRANT; the store is
     * the truth, so a restart reads it again.
     */
    private final Map<String, Map<String, String>> settingsCache = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> rolesCache = new ConcurrentHashMap<>();
    private final java.util.function.Function<String, Optional<Member>> byNick;
    /** How long an INVITE holds if not used. */
    static final Duration INVITE_LIFETIME = Duration.ofHours(1);

    /**
     * @param byNick          the member holding a nick (by key), for INVITE
     * @param reservedRooms   room keys only global operators may CLAIM
     * @param kickRejoinDelay how long a kicked member cannot JOIN the room again
     */
    public RoomModeration(RoomRegistry rooms, Members members,
                          java.util.function.Function<String, Optional<Member>> byNick,
                          Supplier<Optional<AccountStore>> store, Supplier<Optional<Accounts>> accounts,
                          Set<String> reservedRooms, Duration kickRejoinDelay, int maxMessageBytes, Clock clock) {
        this.byNick = byNick;
        this.rooms = rooms;
        this.members = members;
        this.store = store;
        this.accounts = accounts;
        this.reservedRooms = Set.copyOf(reservedRooms);
        this.kickRejoinDelay = kickRejoinDelay;
        this.maxMessageBytes = maxMessageBytes;
        this.clock = clock;
    }

    public List<Command> commands() {
        return List.of(
                Command.sync("CLAIM", "Become the owner of a room that has none", inRoom(this::claim))
                        .withUsage("<#room>"),
                Command.sync("GRANT", "Give a role in a room", inRoom(this::grant))
                        .withUsage("<#room> <account> owner|op|voice|member"),
                Command.sync("BAN", "Room ops: keep an account, nick or address out of a room", inRoom(this::ban))
                        .withUsage("<#room> account:<name>|nick:<nick>|addr:<ip[/bits]>|<name> [90s|30m|2h|7d]"
                                + " [:reason]"),
                Command.sync("UNBAN", "Room ops: lift a ban", inRoom(this::unban)).withUsage("<#room> <target>"),
                Command.sync("BANS", "List a room's bans", inRoom(this::bans)).withUsage("<#room>"),
                Command.sync("SETTINGS", "List a room's settings", inRoom(this::settings)).withUsage("<#room>"),
                Command.sync("SET", "Room ops: change a setting", inRoom(this::set))
                        .withUsage("<#room> key <secret>|off | <#room> invite-only|moderated|topic-lock|guests on|off"),
                Command.sync("INVITE", "Room ops: let a nick into an invite-only room", inRoom(this::invite))
                        .withUsage("<#room> <nick>"));
    }

    /** A moderation verb whose first argument names a room; the dispatcher has checked the count already. */
    @FunctionalInterface
    interface RoomHandler {
        Reply handle(Request request, Name room, List<String> args);
    }

    private static Command.SyncHandler inRoom(RoomHandler handler) {
        return request -> {
            List<String> args = request.arguments();
            Optional<Name> room = Name.room(args.get(0));
            return room.isPresent() ? handler.handle(request, room.get(), args) : badRoom(args.get(0));
        };
    }

    Reply claim(Request request, Name room, List<String> args) {
        Session session = request.session();
        Optional<String> account = session.account();
        if (account.isEmpty()) {
            return Reply.error(ChatErrors.NOT_AUTHENTICATED, "AUTH first: a room is owned by an account");
        }
        Optional<AccountStore> state = store.get();
        if (state.isEmpty()) {
            return unavailable();
        }
        Optional<Room> here = members.of(session).flatMap(me -> me.room(room.key()));
        if (here.isEmpty()) {
            return Reply.error(ChatErrors.NOT_IN_ROOM, "JOIN " + room.display() + " first: only a member"
                    + " may claim it");
        }
        if (reservedRooms.contains(room.key()) && !isOperator(session)) {
            return Reply.error(ChatErrors.NOT_PERMITTED, room.display() + " is reserved"
                    + " (parley.chat.reserved-rooms): only a server operator may claim it");
        }
        // One claim at a time server-wide, so two claimants cannot both find the room unowned.
        synchronized (this) {
            if (state.get().roles(room.key()).containsValue(Role.OWNER.wire())) {
                return Reply.error(ChatErrors.ALREADY_OWNED, room.display() + " has an owner already");
            }
            state.get().setRole(room.key(), key(account.get()), Role.OWNER.wire());
            rolesCache.remove(room.key());
        }
        changed(room.key());
        here.get().announce(granted(here.get(), account.get(), Role.OWNER, session));
        return Reply.ok(here.get().name().display());
    }

    Reply grant(Request request, Name room, List<String> args) {
        Optional<Role> role = Role.parse(args.get(2));
        if (role.isEmpty()) {
            return usage("GRANT <#room> <account> owner|op|voice|member: the role is one of owner, op, voice, member");
        }
        Optional<AccountStore> state = store.get();
        if (state.isEmpty()) {
            return unavailable();
        }
        Optional<String> target = accounts.get().flatMap(a -> a.owner(args.get(1)));
        if (target.isEmpty()) {
            return Reply.error(ChatErrors.NO_SUCH_ACCOUNT, "no account is called " + args.get(1));
        }
        String roomKey = room.key();
        synchronized (this) {
            Map<String, String> roles = state.get().roles(roomKey);
            Role mine = roleOf(request.session(), roles);
            Role theirs = Role.parse(roles.getOrDefault(key(target.get()), "")).orElse(Role.MEMBER);
            if (theirs == Role.OWNER && role.get() != Role.OWNER) {
                return Reply.error(ChatErrors.NOT_PERMITTED, target.get() + " owns " + room.display()
                        + "; nobody demotes the owner, who hands ownership over with GRANT <#room> <account> owner");
            }
            boolean allowed = mine == Role.OWNER
                    || mine == Role.OP && role.get().compareTo(Role.VOICE) <= 0 && theirs.compareTo(Role.VOICE) <= 0;
            if (!allowed) {
                return Reply.error(ChatErrors.NOT_PERMITTED, "GRANT of " + role.get().wire() + " needs "
                        + (role.get().compareTo(Role.VOICE) <= 0 && theirs.compareTo(Role.VOICE) <= 0
                        ? "op or owner" : "owner") + " in " + room.display());
            }
            if (role.get() == Role.OWNER) {
                roles.forEach((account, r) -> {
                    if (r.equals(Role.OWNER.wire())) {
                        state.get().setRole(roomKey, account, Role.OP.wire());
                    }
                });
            }
            state.get().setRole(roomKey, key(target.get()), role.get() == Role.MEMBER ? null : role.get().wire());
            rolesCache.remove(roomKey);
        }
        changed(roomKey);
        announce(room, shown -> Frame.of("GRANTED").params(shown, target.get(), role.get().wire(),
                request.session().name().orElseThrow()).build());
        return Reply.ok(room.display(), target.get(), role.get().wire());
    }

    Reply ban(Request request, Name room, List<String> args) {
        Optional<AccountStore> state = store.get();
        if (state.isEmpty()) {
            return unavailable();
        }
        Reply refused = needOp(request.session(), state.get(), room, "BAN");
        if (refused != null) {
            return refused;
        }
        Optional<String> target = target(args.get(1));
        if (target.isEmpty()) {
            return usage("BAN <#room> <target>: the target is account:<name>, nick:<nick>, addr:<ip> or"
                    + " addr:<ip>/<bits>, or a bare name (an account if one exists, else a nick)");
        }
        Duration duration = null;
        String reason = "";
        if (args.size() >= 3) {
            Matcher m = DURATION.matcher(args.get(2));
            if (m.matches()) {
                duration = duration(Long.parseLong(m.group(1)), m.group(2));
                reason = args.size() == 4 ? args.get(3) : "";
            } else if (args.size() == 3) {
                reason = args.get(2);
            } else {
                return usage("BAN <#room> <target> [duration] [:reason]: a duration is a number and s, m, h or d,"
                        + " e.g. 90s, 30m, 2h, 7d");
            }
        }
        if (!reason.isEmpty()) {
            Reply bad = MessageText.check("BAN", reason, maxMessageBytes);
            if (bad != null) {
                return bad;
            }
        }
        if (target.get().startsWith("account:") && Role.OWNER.wire()
                .equals(state.get().roles(room.key()).get(target.get().substring("account:".length())))) {
            return Reply.error(ChatErrors.NOT_PERMITTED, "the owner of " + room.display() + " cannot be banned");
        }
        apply(state.get(), room, target.get(), request.session().name().orElseThrow(), duration, reason);
        return Reply.ok(room.display(), target.get());
    }

    /** Keeps the ban, tells the room's members and removes those it covers. */
    private Ban apply(AccountStore state, Name room, String target, String by, Duration duration, String reason) {
        Instant expires = duration == null ? null : clock.instant().plus(duration);
        Ban ban = new Ban(room.key(), target, by, expires, reason);
        state.ban(ban);
        changed(room.key());
        announce(room, display -> Frame.of("BANNED").params(display, target, by).trailing(reason).build());
        Optional<Room> present = rooms.find(room.key());
        if (present.isPresent()) {
            Room r = present.get();
            for (Member m : r.members()) {
                if (matches(ban, m.session(), m.nick())) {
                    r.kick(m, by, reason.isEmpty() ? "banned" : reason);
                }
            }
        }
        return ban;
    }

    // ---- RoomBans: BAN, UNBAN and BANS for other plugins (the admin API), without a member's role checks ----

    @Override
    public List<Ban> bans(String room) {
        Name name = roomOrThrow(room);
        Instant now = clock.instant();
        return stateOrThrow().bans(name.key()).stream().filter(b -> b.holdsAt(now)).toList();
    }

    @Override
    public Ban ban(String room, String target, String by, Duration duration, String reason) {
        Name name = roomOrThrow(room);
        AccountStore state = stateOrThrow();
        String canonical = target(target).orElseThrow(() -> new IllegalArgumentException("a ban's target is"
                + " account:<name>, nick:<nick>, addr:<ip> or addr:<ip>/<bits>, or a bare name: " + target));
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a ban's duration is positive, or zero for until lifted");
        }
        if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxMessageBytes
                || reason.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("a ban's reason is one line of at most " + maxMessageBytes + " bytes");
        }
        if (canonical.startsWith("account:") && Role.OWNER.wire()
                .equals(state.roles(name.key()).get(canonical.substring("account:".length())))) {
            throw new IllegalArgumentException("the owner of " + name.display() + " cannot be banned");
        }
        return apply(state, name, canonical, by, duration.isZero() ? null : duration, reason);
    }

    @Override
    public boolean unban(String room, String target) {
        Name name = roomOrThrow(room);
        AccountStore state = stateOrThrow();
        Optional<String> canonical = target(target);
        return canonical.isPresent() && state.unban(name.key(), canonical.get());
    }

    private static Name roomOrThrow(String room) {
        return Name.room(room).orElseThrow(() -> new IllegalArgumentException("not a room name: " + room));
    }

    private AccountStore stateOrThrow() {
        return store.get().orElseThrow(() -> new IllegalStateException(
                "this server keeps no room moderation state (no account store)"));
    }

    Reply unban(Request request, Name room, List<String> args) {
        Optional<AccountStore> state = store.get();
        if (state.isEmpty()) {
            return unavailable();
        }
        Reply refused = needOp(request.session(), state.get(), room, "UNBAN");
        if (refused != null) {
            return refused;
        }
        Optional<String> target = target(args.get(1));
        if (target.isEmpty() || !state.get().unban(room.key(), target.get())) {
            return Reply.error(ChatErrors.NOT_BANNED, room.display() + " does not ban " + args.get(1)
                    + "; BANS " + room.display() + " lists its bans");
        }
        return Reply.ok(room.display(), target.get());
    }

    Reply bans(Request request, Name room, List<String> args) {
        Optional<AccountStore> state = store.get();
        if (state.isEmpty()) {
            return unavailable();
        }
        Instant now = clock.instant();
        int count = 0;
        for (Ban ban : state.get().bans(room.key())) {
            if (!ban.holdsAt(now)) {
                state.get().unban(ban.room(), ban.target());
                continue;
            }
            request.data(Frame.of("BANMASK").params(room.display(), ban.target(), ban.by(),
                    ban.expires() == null ? "-" : ban.expires().toString()).trailing(ban.reason()).build());
            count++;
        }
        return Reply.ok(room.display(), Integer.toString(count));
    }

    /** The rejoin delay and bans; JOIN asks before the member enters. */
    @Override
    public Optional<Reply> refuse(Member me, Name room, String key) {
        // The clock is read only when there is something to compare: a JOIN without kicks or bans costs none.
        Instant until = kicks.get(room.key() + "\n" + who(me));
        if (until != null) {
            Instant now = clock.instant();
            if (now.isBefore(until)) {
                long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
                return Optional.of(Reply.error(ChatErrors.KICKED, "you were kicked from " + room.display()
                        + "; you may JOIN again in " + seconds + "s"));
            }
            kicks.remove(room.key() + "\n" + who(me), until);
        }
        Optional<AccountStore> state = store.get();
        if (state.isEmpty()) {
            return Optional.empty();
        }
        Optional<Reply> closed = closedTo(me, room, key);
        if (closed.isPresent()) {
            return closed;
        }
        List<Ban> bans = state.get().bans(room.key());
        if (bans.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (Ban ban : bans) {
            if (ban.holdsAt(now) && matches(ban, me.session(), me.nick())) {
                return Optional.of(Reply.error(ChatErrors.BANNED, "you are banned from " + room.display()
                        + (ban.reason().isEmpty() ? "" : ": " + ban.reason())
                        + (ban.expires() == null ? "" : " (until " + ban.expires() + ")")));
            }
        }
        return Optional.empty();
    }

    /** Settings that keep the member out: guests, invite-only, key. Ops and owner pass all three. */
    private Optional<Reply> closedTo(Member me, Name room, String key) {
        Map<String, String> settings = cachedSettings(room.key());
        if (settings.isEmpty() || roleOf(me.session(), cachedRoles(room.key())).compareTo(Role.OP) >= 0) {
            return Optional.empty();
        }
        if (me.session().account().isEmpty() && "off".equals(settings.get("guests"))) {
            return Optional.of(Reply.error(ChatErrors.NOT_AUTHENTICATED, room.display() + " is for accounts only;"
                    + " AUTH first"));
        }
        if ("on".equals(settings.get("invite-only"))) {
            Instant until = invites.remove(room.key() + "\n" + who(me));
            if (until == null || !clock.instant().isBefore(until)) {
                return Optional.of(Reply.error(ChatErrors.INVITE_ONLY, room.display() + " is invite-only; ask one"
                        + " of its ops to INVITE you"));
            }
        }
        String secret = settings.get("key");
        if (secret != null && !secret.equals(key)) {
            return Optional.of(Reply.error(ChatErrors.BAD_KEY, room.display() + " needs a key: JOIN "
                    + room.display() + " <key>" + (key == null ? "" : "; that key is wrong")));
        }
        return Optional.empty();
    }

    /** Whether the member may SAY in the room: in a moderated room only voice and above may. */
    Optional<Reply> refuseSay(Member me, Room room) {
        if (store.get().isEmpty() || !"on".equals(cachedSettings(room.name().key()).get("moderated"))
                || roleOf(me.session(), cachedRoles(room.name().key())).compareTo(Role.VOICE) >= 0) {
            return Optional.empty();
        }
        return Optional.of(Reply.error(ChatErrors.MODERATED, room.name().display() + " is moderated: SAY needs"
                + " voice, op or owner"));
    }

    /** Whether the member may set the room's topic: with topic-lock only ops and owner may. */
    Optional<Reply> refuseTopic(Member me, Room room) {
        if (store.get().isEmpty() || !"on".equals(cachedSettings(room.name().key()).get("topic-lock"))
                || roleOf(me.session(), cachedRoles(room.name().key())).compareTo(Role.OP) >= 0) {
            return Optional.empty();
        }
        return Optional.of(Reply.error(ChatErrors.NOT_PERMITTED, room.name().display() + " has topic-lock on:"
                + " TOPIC needs op or owner"));
    }

    Reply settings(Request request, Name room, List<String> args) {
        if (store.get().isEmpty()) {
            return unavailable();
        }
        Map<String, String> set = cachedSettings(room.key());
        boolean op = roleOf(request.session(), cachedRoles(room.key())).compareTo(Role.OP) >= 0;
        for (Map.Entry<String, String> d : DEFAULTS.entrySet()) {
            String value = set.getOrDefault(d.getKey(), d.getValue());
            if (d.getKey().equals("key") && !value.equals("off") && !op) {
                value = "on"; // the secret is for the room's ops
            }
            request.data(Frame.of("SETTING").params(room.display(), d.getKey(), value).build());
        }
        return Reply.ok(room.display(), Integer.toString(DEFAULTS.size()));
    }

    Reply set(Request request, Name room, List<String> args) {
        String setting = args.get(1);
        String value = args.get(2);
        if (!DEFAULTS.containsKey(setting)) {
            return usage("SET <#room> <setting> <value>: '" + setting + "' is not a setting; the settings are "
                    + String.join(", ", DEFAULTS.keySet()));
        }
        if (setting.equals("key")) {
            if (value.isEmpty() || value.length() > 64 || value.chars().anyMatch(c -> c <= ' ')) {
                return usage("SET <#room> key <secret>|off: a key is 1 to 64 characters without spaces");
            }
        } else if (!value.equals("on") && !value.equals("off")) {
            return usage("SET <#room> " + setting + " on|off");
        }
        Optional<AccountStore> state = store.get();
        if (state.isEmpty()) {
            return unavailable();
        }
        Reply refused = needOp(request.session(), state.get(), room, "SET");
        if (refused != null) {
            return refused;
        }
        state.get().set(room.key(), setting, value.equals(DEFAULTS.get(setting)) ? null : value);
        settingsCache.remove(room.key());
        String shown = setting.equals("key") && !value.equals("off") ? "on" : value;
        String by = request.session().name().orElseThrow();
        changed(room.key());
        announce(room, display -> Frame.of("CHANGED").params(display, by, setting, shown).build());
        return Reply.ok(room.display(), setting, shown);
    }

    Reply invite(Request request, Name room, List<String> args) {
        Optional<Name> nick = Name.nick(args.get(1));
        if (nick.isEmpty()) {
            return Reply.error(ChatErrors.BAD_NAME, "'" + args.get(1) + "' is not a nick: " + Name.NICK_FORM);
        }
        Optional<AccountStore> state = store.get();
        if (state.isEmpty()) {
            return unavailable();
        }
        Reply refused = needOp(request.session(), state.get(), room, "INVITE");
        if (refused != null) {
            return refused;
        }
        Optional<Member> target = byNick.apply(nick.get().key());
        if (target.isEmpty()) {
            return Reply.error(ChatErrors.NO_SUCH_NICK, "nobody is called " + nick.get().display());
        }
        Instant now = clock.instant();
        remember(invites, room.key() + "\n" + who(target.get()), now.plus(INVITE_LIFETIME), now);
        target.get().session().send(Frame.of("INVITED").params(room.display(),
                request.session().name().orElseThrow()).build());
        return Reply.ok(room.display(), target.get().nick().display());
    }

    private Map<String, String> cachedSettings(String roomKey) {
        return store.get().map(s -> cached(settingsCache, roomKey, s::settings)).orElse(Map.of());
    }

    private Map<String, String> cachedRoles(String roomKey) {
        return store.get().map(s -> cached(rolesCache, roomKey, s::roles)).orElse(Map.of());
    }

    /** Bounded like the kicks: any room name may be asked about, so past the bound the cache starts afresh. */
    private static Map<String, String> cached(Map<String, Map<String, String>> cache, String roomKey,
                                              java.util.function.Function<String, Map<String, String>> read) {
        if (cache.size() >= MAX_KICKS) {
            cache.clear();
        }
        return cache.computeIfAbsent(roomKey, read);
    }

    /** Puts an entry with its expiry, dropping expired ones (then any) when the map is at its bound. */
    private static void remember(Map<String, Instant> map, String key, Instant until, Instant now) {
        if (map.size() >= MAX_KICKS) {
            map.values().removeIf(t -> !now.isBefore(t));
            Iterator<String> any = map.keySet().iterator();
            while (map.size() >= MAX_KICKS && any.hasNext()) {
                any.next();
                any.remove();
            }
        }
        map.put(key, until);
    }

    /** A KICK happened: the member may not rejoin for the delay. */
    void kicked(Member member, Name room) {
        if (kickRejoinDelay.isZero()) {
            return;
        }
        Instant now = clock.instant();
        remember(kicks, room.key() + "\n" + who(member), now.plus(kickRejoinDelay), now);
    }

    /** True when the session is a global operator, or op or owner of the room. */
    boolean mayKick(Session session, Name room) {
        if (isOperator(session)) {
            return true;
        }
        return store.get().map(s -> roleOf(session, s.roles(room.key())).compareTo(Role.OP) >= 0).orElse(false);
    }

    /** The session's role in the room, shown by WHO; empty for a plain member. */
    Optional<String> shownRole(Session session, Map<String, String> roles) {
        return session.account().map(a -> roles.get(key(a)));
    }

    /** The room's roles, or none without a store. */
    Map<String, String> roles(Name room) {
        return cachedRoles(room.key());
    }

    private Reply needOp(Session session, AccountStore state, Name room, String verb) {
        if (roleOf(session, state.roles(room.key())).compareTo(Role.OP) >= 0) {
            return null;
        }
        return Reply.error(ChatErrors.NOT_PERMITTED, verb + " needs op or owner in " + room.display());
    }

    /** The session's role; a global operator counts as an owner everywhere. */
    private Role roleOf(Session session, Map<String, String> roles) {
        if (isOperator(session)) {
            return Role.OWNER;
        }
        return session.account().flatMap(a -> Role.parse(roles.getOrDefault(key(a), ""))).orElse(Role.MEMBER);
    }

    private boolean isOperator(Session session) {
        return accounts.get().map(a -> a.isOperator(session)).orElse(false);
    }

    /** Sends a moderation event to the room's members on every server that has some, in the room's order. */
    private void announce(Name room, java.util.function.Function<String, Frame> event) {
        RoomLedger ledger = rooms.ledger();
        ledger.find(room.key()).ifPresent(view -> ledger.announce(room.key(), event.apply(view.display())));
    }

    /** The room's state changed in the store: other servers of a cluster forget what they cached of it. */
    private void changed(String roomKey) {
        rooms.ledger().moderationChanged(roomKey);
    }

    /**
     * Removes this server's members of the room whom a ban in force covers. Another server of a cluster keeps a
     * ban and removes the members it holds; the members held here are removed here, once the cluster says the
     * room's moderation changed. Reads the store: runs on a timer thread, never on an I/O or cluster event thread.
     */
    public void enforceBans(String roomKey) {
        Optional<AccountStore> state = store.get();
        Optional<Room> present = rooms.find(roomKey);
        if (state.isEmpty() || present.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Ban> bans;
        try {
            bans = state.get().bans(roomKey).stream().filter(b -> b.holdsAt(now)).toList();
        } catch (StoreUnavailableException e) {
            // On a timer thread nobody would see the exception; the banned stay until their next JOIN.
            log.warn("could not read the bans of {} to remove banned members: {}", roomKey, e.getMessage());
            return;
        }
        Room r = present.get();
        for (Member m : r.members()) {
            bans.stream().filter(ban -> matches(ban, m.session(), m.nick())).findFirst()
                    .ifPresent(ban -> r.kick(m, ban.by(), ban.reason().isEmpty() ? "banned" : ban.reason()));
        }
    }

    /** Forgets what is cached of the room's settings and roles (another server of the cluster changed them). */
    public void forget(String roomKey) {
        settingsCache.remove(roomKey);
        rolesCache.remove(roomKey);
    }

    private Frame granted(Room room, String account, Role role, Session by) {
        return Frame.of("GRANTED").params(room.name().display(), account, role.wire(), by.name().orElseThrow()).build();
    }

    /** The canonical form of a target, or empty when malformed. */
    private Optional<String> target(String raw) {
        int colon = raw.indexOf(':');
        String kind = colon < 0 ? "" : raw.substring(0, colon);
        String value = colon < 0 ? raw : raw.substring(colon + 1);
        return switch (kind) {
            case "account", "nick" -> Name.nick(value).map(n -> kind + ":" + n.key());
            case "addr" -> address(value);
            case "" -> Name.nick(value).map(n -> (accounts.get().flatMap(a -> a.owner(value)).isPresent()
                    ? "account:" : "nick:") + n.key());
            default -> Optional.empty();
        };
    }

    /** {@code addr:<ip>} or {@code addr:<ip>/<bits>}, literals only: nothing here resolves a host name. */
    private static Optional<String> address(String value) {
        int slash = value.indexOf('/');
        String ip = slash < 0 ? value : value.substring(0, slash);
        if (!IPV4.matcher(ip).matches() && !IPV6.matcher(ip).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress parsed = InetAddress.getByName(ip);
            int max = parsed.getAddress().length * 8;
            int bits = max;
            if (slash >= 0) {
                String b = value.substring(slash + 1);
                if (!b.matches("[0-9]{1,3}") || Integer.parseInt(b) > max) {
                    return Optional.empty();
                }
                bits = Integer.parseInt(b);
            }
            return Optional.of("addr:" + parsed.getHostAddress() + (bits == max ? "" : "/" + bits));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean matches(Ban ban, Session session, Name nick) {
        String target = ban.target();
        if (target.startsWith("account:")) {
            return session.account().map(a -> key(a).equals(target.substring("account:".length()))).orElse(false);
        }
        if (target.startsWith("nick:")) {
            return nick.key().equals(target.substring("nick:".length()));
        }
        if (target.startsWith("addr:") && session.remoteAddress() instanceof InetSocketAddress inet
                && inet.getAddress() != null) {
            return inRange(inet.getAddress(), target.substring("addr:".length()));
        }
        return false;
    }

    private static boolean inRange(InetAddress address, String range) {
        int slash = range.indexOf('/');
        try {
            byte[] net = InetAddress.getByName(slash < 0 ? range : range.substring(0, slash)).getAddress();
            byte[] ip = address.getAddress();
            if (net.length != ip.length) {
                return false;
            }
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(range.substring(slash + 1));
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((net[i / 8] & mask) != (ip[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Duration duration(long n, String unit) {
        return switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The key under which an account has roles and bans: chat's canonical form of the name. */
    private static String key(String account) {
        return Name.fold(account);
    }

    /** Who a kick holds against: the account when there is one (whatever nick it takes next), else the nick. */
    private static String who(Member member) {
        return member.session().account().map(a -> "account:" + key(a)).orElse("nick:" + member.nick().key());
    }

    private static Reply usage(String form) {
        return Reply.error(ChatErrors.BAD_ARGUMENT, "write " + form);
    }

    private static Reply badRoom(String given) {
        return Reply.error(ChatErrors.BAD_NAME, "'" + given + "' is not a room name: " + Name.ROOM_FORM);
    }

    private static Reply unavailable() {
        return Reply.error(ChatErrors.NOT_AVAILABLE, "this server keeps no room moderation state (no account store)");
    }
}
