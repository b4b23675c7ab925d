package dev.parley.core.spi.cluster;

import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionRetention;
import java.util.OptionalLong;

/**
 * The cluster half of {@code RESUME}: takes over, on this server, a registered session that lived on another
 * server of the cluster which has since left it (crashed, cut off or stopped without ending its sessions).
 * Provided by the plugin that keeps sessions' state in the cluster (chat: nick, rooms, how far each session
 * got in each room) and used by the plugin that answers {@code RESUME} (heartbeat), so neither depends on the
 * other.
 */
public interface SessionHandover {

    /** What became of a {@link #takeOver} call. */
    enum Outcome {
        /** {@code into} now is the session: registered under its name, in its rooms, the missed events sent. */
        TAKEN_OVER,
        /** The cluster knows no such session any more (its grace ran out, it ended, or someone took it over). */
        NO_SUCH_SESSION,
        /** The cluster no longer knows where the events after the given seq are; the session was ended. */
        REPLAY_UNAVAILABLE,
        /** The server holding the session is still in the cluster; the client should resume there. */
        STILL_HOSTED
    }

    /**
     * The outcome and, when taken over, the session's name.
     *
     * @param outcome what happened
     * @param name    the name {@code into} is registered under when {@link Outcome#TAKEN_OVER}, else null
     */
    record Result(Outcome outcome, String name) {
    }

    /**
     * Makes {@code into} (a new connection's session, not registered) the session {@code sessionId} of server
     * {@code node}: numbers its events on from the client's {@code lastSeq} with
     * {@link SessionRetention#continueSequence}, registers it under the old session's name, puts it in the old
     * session's rooms without telling their members, and sends it every event the cluster accepted for the old
     * session after the last one the client read (a few may arrive twice: room messages keep their msgid, by
     * which a client recognises them). Without {@code lastSeq}, from the last point the old server recorded.
     */
    Result takeOver(Session into, String node, long sessionId, OptionalLong lastSeq, SessionRetention retention);
}
