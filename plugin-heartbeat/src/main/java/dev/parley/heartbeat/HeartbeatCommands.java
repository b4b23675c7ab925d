package dev.parley.heartbeat;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionRetention;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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

    private final SessionRetention retention;
    private final ResumeTokens tokens;

    HeartbeatCommands(SessionRetention retention, ResumeTokens tokens) {
        this.retention = retention;
        this.tokens = tokens;
    }

    List<Command> all() {
        return List.of(
                Command.sync("PING", "Check the connection: PING [token] -> OK PING [token]", this::ping)
                        .beforeRegistration(),
                Command.sync("PONG", "Answer the server's PING <token>: PONG <token>", this::pong)
                        .beforeRegistration(),
                Command.sync("RESUME", "Take a dropped session over: RESUME <token> [last-seq]", this::resume)
                        .beforeRegistration());
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
            return Reply.error(ErrorCode.BAD_ARGUMENT, "usage: RESUME <token> [last-seq]");
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
            return Reply.error(NO_SUCH_SESSION, "no session to resume with that token; register anew");
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
}
