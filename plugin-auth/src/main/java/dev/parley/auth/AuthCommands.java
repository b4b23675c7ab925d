package dev.parley.auth;

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

/** The verbs of the auth plugin: AUTH and, for operators, ANNOUNCE. Each method is named after its verb. */
final class AuthCommands {
    private static final Logger log = LoggerFactory.getLogger(AuthCommands.class);

    private final ConfiguredAccounts accounts;
    private final AttemptLimiter limiter;
    private final SessionAuthentication authentication;
    private final Sessions sessions;
    private final ScheduledExecutorService scheduler;
    private final Duration failureDelay;
    private final ClusterAnnouncer cluster; // null on a single server

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

    List<Command> all() {
        return List.of(
                Command.async("AUTH", "Prove who you are: AUTH <user> <password> (or AUTH <user> :<password>)",
                        this::auth).beforeAuthentication(),
                Command.async("ANNOUNCE", "Operators: send a notice to every connection: ANNOUNCE :<text>",
                        this::announce));
    }

    // Nothing here may log or echo the arguments: the second one is a password.
    CompletionStage<Reply> auth(Request request) {
        List<String> args = request.arguments();
        Session session = request.session();
        if (args.size() != 2) {
            return CompletableFuture.completedFuture(Reply.error(AuthErrors.BAD_ARGUMENT,
                    "write AUTH <user> <password>, or AUTH <user> :<password> when it contains spaces"));
        }
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
        if (args.size() != 1 || args.get(0).isEmpty()) {
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
