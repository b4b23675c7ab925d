package dev.parley.core.spi;

import dev.parley.core.protocol.Frame;
import java.util.Collection;

/** The server's open sessions. */
public interface Sessions {

    /** A snapshot of every open session. */
    Collection<Session> all();

    /** The number of open sessions. */
    int count();

    /**
     * Sends one event to many sessions, encoding it once and sharing the bytes: the cheap way to fan out.
     *
     * @throws IllegalArgumentException when the event's verb is {@code OK}, {@code ERR} or {@code BYE}: clients
     *                                  read those as a command's final reply or the server's goodbye (see
     *                                  {@link Session#send})
     */
    void send(Iterable<? extends Session> recipients, Frame event);

    /**
     * Runs {@code sends} (calls of {@link #send} and {@link Session#send}) so that what they write to each
     * connection leaves in one write when it returns, rather than one per event: for fan-out of many events
     * from a thread that does not run a command (a command's sends are held so already). The default runs it.
     */
    default void sendTogether(Runnable sends) {
        sends.run();
    }

    /**
     * As {@link #sendTogether(Runnable)}, for events that a command of this server's session {@code causedBy}
     * made and that another thread sends (a cluster log's reader delivering a room's message on its sender's
     * server): while one of their recipients has more unread than the server's {@code flow-high-water}, that
     * session's next commands wait, as if its command had sent them itself (docs/protocol.md, "Flow control").
     * An id of no session here (another server's, or -1) just sends them. The default runs
     * {@link #sendTogether(Runnable)}.
     */
    default void sendTogether(long causedBy, Runnable sends) {
        sendTogether(sends);
    }
}
