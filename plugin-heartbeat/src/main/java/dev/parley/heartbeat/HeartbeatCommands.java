package dev.parley.heartbeat;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionRetention;
import dev.parley.core.spi.cluster.SessionHandover;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PING, PONG and RESUME. */
final class HeartbeatCommands {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatCommands.class);

    /** The token is unknown, used up, or its session ended. */
    static final ErrorCode NO_SUCH_SESSION = new ErrorCode("NO_SUCH_SESSION");
    /** The replay buffer no longer holds the events after the given seq; the session was ended. */
    static final ErrorCode REPLAY_UNAVAILABLE = new ErrorCode("REPLAY_UNAVAILABLE");
    /** The session ended because more events than replay-limit arrived while it was dropped. */
    static final ErrorCode REPLAY_OVERFLOW = new ErrorCode("REPLAY_OVERFLOW");
    /** RESUME on a connection that registered already. */
    static final ErrorCode ALREADY_REGISTERED = new ErrorCode("ALREADY_REGISTERED");

    /** The session lives on another server of the cluster that is still up; resume later or there. */
    static final ErrorCode SESSION_ELSEWHERE = new ErrorCode("SESSION_ELSEWHERE");

    private final SessionRetention retention;
    private final ResumeTokens tokens;
    private final Supplier<Optional<SessionHandover>> handover;

    /**
     * @param handover takes over sessions of departed cluster servers, when a plugin (chat in a cluster)
     *                 provides it; asked on each RESUME because that plugin may start after this one
     */
    HeartbeatCommands(SessionRetention retention, ResumeTokens tokens, Supplier<Optional<SessionHandover>> handover) {
        this.retention = retention;
        this.tokens = tokens;
        this.handover = handover;
    }

    List<Command> all() {
        return List.of(
                Command.sync("PING", "Check the connection: answered OK PING [token]", this::ping)
                        .withUsage("[token]").beforeAuthentication(),
                // The answer to the server's own PING must work before AUTH too, or an idle client is noisy.
                Command.sync("PONG", "Answer the server's PING <token>", this::pong)
                        .withUsage("[token]").beforeAuthentication(),
                Command.sync("RESUME", "Take a dropped session over", this::resume)
                        .withUsage("<token> [last-seq]").beforeRegistration());
    }

    private Reply ping(Request request) {
        String token = request.frame().param(0);
        return token == null ? Reply.ok() : Reply.ok(token);
    }

    /** Any inbound line counts as life, so the token is not checked. */
    private Reply pong(Request request) {
        return Reply.ok();
    }

    private Reply resume(Request request) {
        if (request.session().isRegistered()) {
            return Reply.error(ALREADY_REGISTERED, "this connection has a session already; RESUME on a new connection");
        }
        String token = request.frame().param(0);
        if (token == null) {
            return Reply.error(ErrorCode.BAD_ARGUMENT, "the token is a parameter, not trailing: RESUME <token>"
                    + " [last-seq]");
        }
        OptionalLong lastSeq = OptionalLong.empty();
        String seq = request.frame().param(1);
        if (seq != null) {
            if (!seq.matches("[0-9]{1,18}")) {
                return Reply.error(ErrorCode.BAD_ARGUMENT, "last-seq is the seq of the last event read, a whole number: '"
                        + seq + "'");
            }
            lastSeq = OptionalLong.of(Long.parseLong(seq));
        }
        Optional<Session> target = tokens.take(token);
        if (target.isEmpty()) {
            return resumeElsewhere(request, token, lastSeq);
        }
        Session session = target.get();
        SessionRetention.Outcome outcome = retention.resume(request, session, lastSeq);
        switch (outcome) {
            case RESUMED:
                log.info("{} resumed from {}", session, request.session().remoteAddress());
                return Reply.ok(session.name().orElseThrow(), tokens.tokenFor(session));
            case SEQ_AHEAD:
                tokens.restore(token, session);
                return Reply.error(ErrorCode.BAD_ARGUMENT, "last-seq " + lastSeq.getAsLong()
                        + " is above the last event sent; give the seq of the last event read");
            case REPLAY_UNAVAILABLE:
                return Reply.error(REPLAY_UNAVAILABLE, "the events after seq " + lastSeq.orElse(0)
                        + " are no longer kept; the session ended, register anew");
            case REPLAY_OVERFLOW:
                return Reply.error(REPLAY_OVERFLOW, "more events arrived than the server keeps while you were away;"
                        + " the session ended, register anew");
            case NO_SUCH_SESSION:
            default:
                return Reply.error(NO_SUCH_SESSION, "that session has ended; register anew");
        }
    }

    /**
     * A token this server does not know: in a cluster, the session may have lived on a server that died. The
     * token stays in the cluster's index until the outcome is known: when the cluster fails half-way (answered
     * CLUSTER_UNAVAILABLE, which tells the client to try again), the next try must still find it. Using it up
     * first lost sessions in a soak: the retry met NO_SUCH_SESSION, and registering anew NICK_IN_USE.
     */
    private Reply resumeElsewhere(Request request, String token, OptionalLong lastSeq) {
        Optional<ClusterTokens> cluster = tokens.cluster();
        Optional<ClusterTokens.Owner> owner = cluster.flatMap(c -> c.owner(token));
        Optional<SessionHandover> taker = handover.get();
        if (owner.isEmpty() || taker.isEmpty()) {
            return Reply.error(NO_SUCH_SESSION, "no session to resume with that token; register anew");
        }
        SessionHandover.Result result = taker.get().takeOver(request.session(), owner.get().node(),
                owner.get().sessionId(), lastSeq, retention);
        if (result.outcome() != SessionHandover.Outcome.STILL_HOSTED) {
            retire(cluster.get(), token, owner.get());
        }
        switch (result.outcome()) {
            case TAKEN_OVER:
                log.info("{} resumed a session of departed node {} from {}", request.session(), owner.get().node(),
                        request.session().remoteAddress());
                return Reply.ok(result.name(), tokens.tokenFor(request.session()));
            case STILL_HOSTED:
                return Reply.error(SESSION_ELSEWHERE, "your session is held by another server of this cluster, which"
                        + " is still up; retry RESUME in a few seconds (once that server is gone) or connect to it");
            case REPLAY_UNAVAILABLE:
                return Reply.error(REPLAY_UNAVAILABLE, "the events after seq " + lastSeq.orElse(0)
                        + " are no longer kept; the session ended, register anew");
            case NO_SUCH_SESSION:
            default:
                return Reply.error(NO_SUCH_SESSION, "that session has ended; register anew");
        }
    }

    /** The outcome is final: the token is spent. Failing to say so only leaves a token whose session is gone. */
    private static void retire(ClusterTokens cluster, String token, ClusterTokens.Owner owner) {
        try {
            cluster.used(token, owner);
        } catch (RuntimeException e) {
            log.debug("retiring a used resume token failed: {}", e.toString());
        }
    }
}
