package dev.parley.bench.net;

/** What a scenario does with one connection's events; called on its reactor thread only. */
public interface LinkHandler {

    /** A complete line arrived (line end removed); {@code line} is valid only during this call. */
    void line(Link link, Line line);

    /** The connection was closed by the server or failed. */
    default void closed(Link link, Exception cause) {
    }
}
