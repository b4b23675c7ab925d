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
}
