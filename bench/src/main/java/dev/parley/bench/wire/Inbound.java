package dev.parley.bench.wire;

import dev.parley.bench.net.Line;
import dev.parley.bench.report.Stamp;

/**
 * What one received line means to a scenario.
 *
 * @param kind       the meaning
 * @param text       a keep-alive's answer (to send back as is) or an error's line; null otherwise
 * @param sentNanos  a delivery's send time, read from its {@link Stamp} text (-1 for a text without one);
 *                   -1 for the other kinds
 */
public record Inbound(Kind kind, String text, long sentNanos) {

    public enum Kind {
        /** The connection is registered (Parley OK NICK, NATS PONG after CONNECT, IRC 001). */
        REGISTERED,
        /** The room was entered (Parley OK JOIN, NATS PONG after SUB, IRC 366 end of NAMES). */
        JOINED,
        /** One publish was accepted by the server (Parley OK SAY, NATS +OK, IRC PONG after PRIVMSG). */
        ACK,
        /** A message published by someone else arrived; {@code sentNanos} is when it was sent. */
        DELIVERY,
        /** The server asks for a keep-alive answer; {@code text} is the line to send back. */
        ANSWER,
        /** The server refused something; {@code text} is its line. */
        ERROR,
        /** Anything else (greetings, join notices, numerics): ignored. */
        OTHER
    }

    public static final Inbound REGISTERED = new Inbound(Kind.REGISTERED, null, -1);
    public static final Inbound JOINED = new Inbound(Kind.JOINED, null, -1);
    public static final Inbound ACK = new Inbound(Kind.ACK, null, -1);
    public static final Inbound OTHER = new Inbound(Kind.OTHER, null, -1);

    /** A delivery whose message text starts at {@code at} of {@code line}. */
    public static Inbound delivery(Line line, int at) {
        return new Inbound(Kind.DELIVERY, null, Stamp.sentNanos(line, at));
    }

    public static Inbound answer(String line) {
        return new Inbound(Kind.ANSWER, line, -1);
    }

    public static Inbound error(String line) {
        return new Inbound(Kind.ERROR, line, -1);
    }
}
