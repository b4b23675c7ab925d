package dev.parley.bench.wire;

import dev.parley.bench.net.Line;
import java.nio.charset.StandardCharsets;

/**
 * NATS' client protocol: CONNECT, SUB, PUB, MSG, PING/PONG. Registration and subscription are confirmed by
 * a PING answered with PONG (the server handles a connection's commands in order). Publishers connect with
 * {@code "verbose":true}, so every PUB is answered {@code +OK}: the equivalent of Parley's {@code OK SAY}.
 * {@code "echo":false} keeps a publisher's own messages from coming back, as in a chat room.
 */
final class NatsDialect implements Dialect {

    @Override
    public String register(String nick, boolean acknowledgePublishes) {
        return "CONNECT {\"verbose\":" + acknowledgePublishes + ",\"pedantic\":false,\"echo\":false,\"name\":\""
                + nick + "\",\"lang\":\"java\",\"version\":\"bench\",\"protocol\":1}\r\nPING\r\n";
    }

    @Override
    public String join(String room) {
        return "SUB " + room + " 1\r\nPING\r\n";
    }

    @Override
    public String publish(String room, String text) {
        return "PUB " + room + " " + text.getBytes(StandardCharsets.UTF_8).length + "\r\n" + text + "\r\n";
    }

    @Override
    public Parser newParser() {
        return new NatsParser();
    }

    /** Tracks the two lines of a delivery (MSG header, then payload) and which PONG confirms what. */
    static final class NatsParser implements Parser {
        private boolean payloadNext;
        private int pongs;

        @Override
        public Inbound parse(Line line) {
            if (payloadNext) {
                payloadNext = false;
                return Inbound.delivery(line, 0);
            }
            if (line.startsWith("MSG ")) {
                payloadNext = true;
                return Inbound.OTHER;
            }
            if (line.is("+OK")) {
                // +OK for CONNECT and SUB precede their PONG; only those after registration count as acks.
                return pongs >= 2 ? Inbound.ACK : Inbound.OTHER;
            }
            if (line.is("PING")) {
                return Inbound.answer("PONG\r\n");
            }
            if (line.is("PONG")) {
                pongs++;
                return pongs == 1 ? Inbound.REGISTERED : pongs == 2 ? Inbound.JOINED : Inbound.OTHER;
            }
            if (line.startsWith("-ERR")) {
                return Inbound.error(line.toString());
            }
            return Inbound.OTHER;
        }
    }
}
