package dev.parley.bench.wire;

/**
 * What one received line means to a scenario.
 *
 * @param kind  the meaning
 * @param text  a delivery's message text, a keep-alive's answer (to send back as is), or an error's line;
 *              null otherwise
 */
public record Inbound(Kind kind, String text) {

    public enum Kind {
        /** The connection is registered (Parley OK NICK, NATS PONG after CONNECT, IRC 001). */
        REGISTERED,
        /** The room was entered (Parley OK JOIN, NATS PONG after SUB, IRC 366 end of NAMES). */
        JOINED,
        /** One publish was accepted by the server (Parley OK SAY, NATS +OK, IRC PONG after PRIVMSG). */
        ACK,
        /** A message published by someone else arrived; {@code text} is its text. */
        DELIVERY,
        /** The server asks for a keep-alive answer; {@code text} is the line to send back. */
        ANSWER,
        /** The server refused something; {@code text} is its line. */
        ERROR,
        /** Anything else (greetings, join notices, numerics): ignored. */
        OTHER
    }

    public static final Inbound REGISTERED = new Inbound(Kind.REGISTERED, null);
    public static final Inbound JOINED = new Inbound(Kind.JOINED, null);
    public static final Inbound ACK = new Inbound(Kind.ACK, null);
    public static final Inbound OTHER = new Inbound(Kind.OTHER, null);

    public static Inbound delivery(String text) {
        return new Inbound(Kind.DELIVERY, text);
    }

    public static Inbound answer(String line) {
        return new Inbound(Kind.ANSWER, line);
    }

    public static Inbound error(String line) {
        return new Inbound(Kind.ERROR, line);
    }
}
