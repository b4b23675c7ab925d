package dev.parley.auth;

import dev.parley.core.protocol.ByeReason;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionAuthentication;
import dev.parley.core.spi.Sessions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verbs of the auth plugin: AUTH, REGISTER, PASSWORD and, for operators, ANNOUNCE, DISABLE and ENABLE. Each
 * method is named after its verb.
 */
final class AuthCommands {
    private static final Logger log = LoggerFactory.getLogger(AuthCommands.class);
    /** The BYE a disabled account's sessions get. */
    static final ByeReason ACCOUNT_DISABLED = new ByeReason("ACCOUNT_DISABLED");

    private final ConfiguredAccounts accounts;
    private final AttemptLimiter limiter;
    private final SessionAuthentication authentication;
    private final Sessions sessions;
    private final ScheduledExecutorService scheduler;
    private final Duration failureDelay;
    private final ClusterAnnouncer cluster; // null on a single server
    private AuthSettings settings = new AuthSettings(java.util.Map.of(), java.util.Set.of(), false, 1,
            Duration.ofMinutes(1), Duration.ZERO);
    private AttemptLimiter registrations = new AttemptLimiter(1, Duration.ofHours(1), 1, System::nanoTime);

    AuthCommands(ConfiguredAccounts accounts, AttemptLimiter limiter, SessionAuthentication authentication,
                 Sessions sessions, ScheduledExecutorService scheduler, Duration failureDelay) {
        this(accounts, limiter, authentication, sessions, scheduler, failureDelay, null);
    }

    /** @param cluster sends ANNOUNCE to every server of a cluster, or null on a single server */
    AuthCommands(ConfiguredAccounts accounts, AttemptLimiter limiter, SessionAuthentication authentication,
                 Sessions sessions, ScheduledExecutorService scheduler, Duration failureDelay,
                 ClusterAnnouncer cluster) {
        this.cluster = cluster;
        this.accounts = accounts;
        this.limiter = limiter;
        this.authentication = authentication;
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.failureDelay = failureDelay;
    }

    /**
     * Turns on account creation and life: REGISTER, PASSWORD, DISABLE and ENABLE follow these settings, and
     * successful REGISTERs per address are counted by {@code registrations}.
     */
    AuthCommands withAccountLife(AuthSettings settings, AttemptLimiter registrations) {
        this.settings = settings;
        this.registrations = registrations;
        return this;
    }

    List<Command> all() {
        return List.of(
                Command.async("AUTH", "Prove who you are (write the password as :<password> when it has spaces)",
                        this::auth).withUsage("<user> <password>").beforeAuthentication(),
                Command.async("REGISTER", "Create an account", this::register)
                        .withUsage("<account> :<password>").beforeAuthentication(),
                Command.async("PASSWORD", "Change your password", this::password)
                        .withUsage("<current> :<new>").beforeRegistration(),
                Command.async("DISABLE", "Operators: disable an account and end its sessions", this::disable)
                        .withUsage("<account>").beforeRegistration(),
                Command.async("ENABLE", "Operators: enable a disabled account again", this::enable)
                        .withUsage("<account>").beforeRegistration(),
                Command.async("ANNOUNCE", "Operators: send a notice to every connection", this::announce)
                        .withUsage(":<text>"));
    }

    // Nothing here may log or echo the arguments: the second one is a password.
    CompletionStage<Reply> auth(Request request) {
        List<String> args = request.arguments();
        Session session = request.session();
        Optional<String> current = session.account();
        if (current.isPresent()) {
            return CompletableFuture.completedFuture(Reply.error(AuthErrors.ALREADY_AUTHENTICATED,
                    "this connection is authenticated as " + current.get() + " already; to change, QUIT and"
                            + " connect again"));
        }
        Object address = hostOf(session.remoteAddress());
        if (!limiter.tryAttempt(address)) {
            log.debug("AUTH refused for {}: too many failures from its address", session);
            return later(Reply.error(AuthErrors.TOO_MANY_ATTEMPTS, "too many failed AUTH from your address;"
                    + " wait a few minutes and try again"));
        }
        Optional<String> account = accounts.verify(args.get(0), args.get(1));
        if (account.isEmpty()) {
            log.info("failed AUTH by {}", session);
            return later(Reply.error(AuthErrors.BAD_CREDENTIALS, "unknown user or wrong password; check both"
                    + " and try again"));
        }
        limiter.succeeded(address);
        if (accounts.isDisabled(account.get())) {
            log.info("AUTH by {} as disabled account {}", session, account.get());
            return CompletableFuture.completedFuture(Reply.error(AuthErrors.ACCOUNT_DISABLED,
                    "an operator disabled this account; ask one to ENABLE it"));
        }
        authentication.authenticate(session, account.get());
        log.info("{} authenticated as {}", session, account.get());
        return CompletableFuture.completedFuture(Reply.ok(account.get()));
    }

    CompletionStage<Reply> announce(Request request) {
        if (!accounts.isOperator(request.session())) {
            return CompletableFuture.completedFuture(Reply.error(AuthErrors.NOT_PERMITTED,
                    "only operators may ANNOUNCE, after AUTH as an operator account"));
        }
        List<String> args = request.arguments();
        if (args.get(0).isEmpty()) {
            return CompletableFuture.completedFuture(Reply.error(AuthErrors.BAD_ARGUMENT,
                    "write ANNOUNCE :<text>, e.g. ANNOUNCE :restart at 22:00"));
        }
        String from = request.session().name().orElseThrow();
        Frame notice = Frame.of("NOTICE").param(from).trailing(args.get(0)).build();
        if (cluster != null) {
            return cluster.announce(notice).thenApply(reached -> {
                log.info("{} announced to {} sessions across the cluster", request.session(), reached);
                return Reply.ok(Integer.toString(reached));
            });
        }
        var everyone = sessions.all();
        sessions.send(everyone, notice);
        log.info("{} announced to {} sessions", request.session(), everyone.size());
        return CompletableFuture.completedFuture(Reply.ok(Integer.toString(everyone.size())));
    }

    // Nothing here may log or echo the second argument: it is a password.
    CompletionStage<Reply> register(Request request) {
        List<String> args = request.arguments();
        Session session = request.session();
        boolean operator = accounts.isOperator(session);
        if (!operator && !settings.openRegistration()) {
            return done(Reply.error(AuthErrors.NOT_PERMITTED, "registration is closed: only operators create"
                    + " accounts; ask one"));
        }
        if (!operator && session.account().isPresent()) {
            return done(Reply.error(AuthErrors.ALREADY_AUTHENTICATED, "this connection is authenticated as "
                    + session.account().get() + " already; REGISTER from a new connection"));
        }
        if (!accounts.hasStore()) {
            return done(Reply.error(AuthErrors.NOT_AVAILABLE, "this server keeps no created accounts"));
        }
        String name = args.get(0);
        if (!AuthSettings.isName(name)) {
            return done(Reply.error(AuthErrors.BAD_ARGUMENT, "an account name is " + AuthSettings.NAME_FORM));
        }
        String password = args.get(1);
        if (password.codePointCount(0, password.length()) < settings.minPasswordLength()) {
            return done(Reply.error(AuthErrors.WEAK_PASSWORD, "a password needs at least "
                    + settings.minPasswordLength() + " characters"));
        }
        Object address = hostOf(session.remoteAddress());
        if (!operator && !limiter.tryAttempt(address)) {
            return later(Reply.error(AuthErrors.TOO_MANY_ATTEMPTS, "too many failed attempts from your address;"
                    + " wait a few minutes and try again"));
        }
        if (!operator && !registrations.tryAttempt(address)) {
            return done(Reply.error(AuthErrors.TOO_MANY_ATTEMPTS, "your address created "
                    + settings.registrationsPerHour() + " accounts this hour already; try again later"));
        }
        ConfiguredAccounts.Creation creation = accounts.create(name, password.toCharArray());
        if (creation == ConfiguredAccounts.Creation.EXISTS) {
            log.info("REGISTER by {} of a taken name", session);
            return operator ? done(exists(name)) : later(exists(name));
        }
        if (creation == ConfiguredAccounts.Creation.NO_STORE) {
            return done(Reply.error(AuthErrors.NOT_AVAILABLE, "this server keeps no created accounts"));
        }
        if (!operator) {
            limiter.succeeded(address);
            authentication.authenticate(session, name);
        }
        log.info("{} created account {}", session, name);
        return done(Reply.ok(name));
    }

    // Nothing here may log or echo the arguments: both are passwords.
    CompletionStage<Reply> password(Request request) {
        List<String> args = request.arguments();
        Session session = request.session();
        Optional<String> account = session.account();
        if (account.isEmpty()) {
            return done(Reply.error(AuthErrors.NOT_AUTHENTICATED, "AUTH first: PASSWORD changes your account's"));
        }
        String replacement = args.get(1);
        if (replacement.codePointCount(0, replacement.length()) < settings.minPasswordLength()) {
            return done(Reply.error(AuthErrors.WEAK_PASSWORD, "a password needs at least "
                    + settings.minPasswordLength() + " characters"));
        }
        Object address = hostOf(session.remoteAddress());
        if (!limiter.tryAttempt(address)) {
            return later(Reply.error(AuthErrors.TOO_MANY_ATTEMPTS, "too many failed attempts from your address;"
                    + " wait a few minutes and try again"));
        }
        return switch (accounts.changePassword(account.get(), args.get(0), replacement.toCharArray())) {
            case CHANGED -> {
                limiter.succeeded(address);
                log.info("{} changed the password of {}", session, account.get());
                yield done(Reply.ok(account.get()));
            }
            case WRONG_PASSWORD -> later(Reply.error(AuthErrors.BAD_CREDENTIALS, "the current password is wrong"));
            case READ_ONLY -> {
                limiter.succeeded(address);
                yield done(readOnly(account.get()));
            }
            case NO_SUCH_ACCOUNT, NO_STORE -> {
                limiter.succeeded(address);
                yield done(Reply.error(AuthErrors.NOT_AVAILABLE, "this server keeps no password of yours to change"));
            }
        };
    }

    CompletionStage<Reply> disable(Request request) {
        return setDisabled(request, true);
    }

    CompletionStage<Reply> enable(Request request) {
        return setDisabled(request, false);
    }

    private CompletionStage<Reply> setDisabled(Request request, boolean disabled) {
        String verb = disabled ? "DISABLE" : "ENABLE";
        if (!accounts.isOperator(request.session())) {
            return done(Reply.error(AuthErrors.NOT_PERMITTED, "only operators may " + verb
                    + ", after AUTH as an operator account"));
        }
        List<String> args = request.arguments();
        if (!AuthSettings.isName(args.get(0))) {
            return done(Reply.error(AuthErrors.BAD_ARGUMENT, "an account name is " + AuthSettings.NAME_FORM));
        }
        String name = accounts.spelling(args.get(0)).orElse(args.get(0));
        return switch (accounts.setDisabled(name, disabled)) {
            case CHANGED -> {
                log.info("{} {}d account {}", request.session(), verb.toLowerCase(java.util.Locale.ROOT), name);
                if (disabled) {
                    for (Session s : sessions.all()) {
                        if (s.account().filter(name::equals).isPresent()) {
                            s.close(ACCOUNT_DISABLED, "an operator disabled your account");
                        }
                    }
                }
                yield done(Reply.ok(name));
            }
            case READ_ONLY -> done(readOnly(name));
            case NO_STORE, NO_SUCH_ACCOUNT, WRONG_PASSWORD -> done(Reply.error(AuthErrors.NO_SUCH_ACCOUNT,
                    "no created account is called " + args.get(0)));
        };
    }

    private static Reply exists(String name) {
        return Reply.error(AuthErrors.ACCOUNT_EXISTS, "an account called " + name + " exists; pick another name");
    }

    private static Reply readOnly(String name) {
        return Reply.error(AuthErrors.NOT_PERMITTED, name + " is listed in parley.auth.users: the server's"
                + " configuration holds it, so change it there");
    }

    private static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /** The reply after the failure delay, from the timer: no worker thread waits meanwhile. */
    private CompletionStage<Reply> later(Reply reply) {
        if (failureDelay.isZero()) {
            return CompletableFuture.completedFuture(reply);
        }
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        scheduler.schedule(() -> answer.complete(reply), failureDelay.toNanos(), TimeUnit.NANOSECONDS);
        return answer;
    }

    /** Failures count per host: one client opening connection after connection is still one address. */
    static Object hostOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress() : inet.getHostString();
        }
        return String.valueOf(address);
    }
}
