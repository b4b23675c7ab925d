package dev.parley.bench.wire;

import dev.parley.bench.net.Line;

/**
 * How a scenario's few actions are spoken to one kind of server. Every scenario needs the same five:
 * register a client, enter a room, publish to it with an acknowledgement (so a publisher can keep a bounded
 * window in flight), answer the server's keep-alives, and recognise deliveries.
 *
 * <p>Builders return complete wire lines (with their line ends); {@link #newParser()} gives the per-connection
 * reader, since some protocols (NATS) spread one delivery over two lines.
 */
public interface Dialect {

    /** What a new connection sends to register under {@code nick}; the parser then reports {@link Inbound.Kind#REGISTERED}. */
    String register(String nick, boolean acknowledgePublishes);

    /** Enter a room (NATS: subscribe to a subject); the parser then reports {@link Inbound.Kind#JOINED}. */
    String join(String room);

    /** Publish {@code text} to a room; the parser reports exactly one {@link Inbound.Kind#ACK} for it. */
    String publish(String room, String text);

    /** A new parser for one connection's lines (without their line ends). */
    Parser newParser();

    /** Reads one connection's lines, in order. Not thread-safe: one per connection. */
    interface Parser {
        /** What the line means; the line is valid only during this call. */
        Inbound parse(Line line);
    }
}
