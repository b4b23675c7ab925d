package dev.parley.bench.wire;

import dev.parley.bench.net.Line;

/**
 * IRC (RFC 2812): NICK/USER, JOIN, PRIVMSG. PRIVMSG has no reply, so each is followed by a PING whose PONG
 * is the acknowledgement: the server handles a client's lines in order, so the PONG means the message was
 * relayed. That costs IRC one extra small line per message, which the results note.
 */
final class IrcDialect implements Dialect {

    @Override
    public String register(String nick, boolean acknowledgePublishes) {
        return "NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick + "\r\n";
    }

    @Override
    public String join(String room) {
        return "JOIN #" + room + "\r\n";
    }

    @Override
    public String publish(String room, String text) {
        return "PRIVMSG #" + room + " :" + text + "\r\nPING :a\r\n";
    }

    @Override
    public Parser newParser() {
        return IrcDialect::parseLine;
    }

    static Inbound parseLine(Line line) {
        if (line.startsWith("PING")) {
            return Inbound.answer("PONG" + line.toString().substring(4) + "\r\n");
        }
        // ":prefix COMMAND params :trailing"; the prefix holds no space.
        int command = line.startsWith(":") ? line.indexOf(' ') + 1 : 0;
        if (command <= 0 && line.startsWith(":")) {
            return Inbound.OTHER;
        }
        if (line.startsWith("PRIVMSG ", command)) {
            int trailing = line.indexOf(" :", command);
            return Inbound.delivery(line, trailing < 0 ? line.length() : trailing + 2);
        }
        if (line.startsWith("PONG ", command)) {
            return Inbound.ACK;
        }
        if (line.startsWith("001 ", command)) {
            return Inbound.REGISTERED;
        }
        if (line.startsWith("366 ", command)) {
            return Inbound.JOINED;
        }
        if (line.startsWith("ERROR", command) || isErrorNumeric(line, command)) {
            return Inbound.error(line.toString());
        }
        return Inbound.OTHER;
    }

    /** Numerics 400-599 are errors (433 nick in use, 405 too many channels, ...). */
    private static boolean isErrorNumeric(Line line, int at) {
        if (line.length() < at + 4 || line.charAt(at + 3) != ' ') {
            return false;
        }
        char c = line.charAt(at);
        return (c == '4' || c == '5') && Character.isDigit(line.charAt(at + 1)) && Character.isDigit(line.charAt(at + 2));
    }
}
