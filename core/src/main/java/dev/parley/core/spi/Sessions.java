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
}
