package dev.parley.bench.wire;

import dev.parley.bench.net.Line;

/** Parley's chat plugin (docs/protocol.md): NICK, JOIN, SAY answered by OK SAY, MSG events. */
final class ParleyDialect implements Dialect {

    @Override
    public String register(String nick, boolean acknowledgePublishes) {
        return "NICK " + nick + "\n";
    }

    @Override
    public String join(String room) {
        return "JOIN #" + room + "\n";
    }

    @Override
    public String publish(String room, String text) {
        return "SAY #" + room + " :" + text + "\n";
    }

    @Override
    public Parser newParser() {
        return ParleyDialect::parseLine;
    }

    static Inbound parseLine(Line line) {
        if (line.startsWith("OK ")) {
            if (line.startsWith("OK SAY ")) {
                return Inbound.ACK;
            }
            if (line.startsWith("OK NICK ")) {
                return Inbound.REGISTERED;
            }
            if (line.startsWith("OK JOIN ")) {
                return Inbound.JOINED;
            }
            return Inbound.OTHER;
        }
        // A room message: "@msgid=..;time=.. MSG #room nick :text"; tags hold no spaces, so the first " :"
        // starts the trailing text.
        int verb = line.startsWith("@") ? line.indexOf(' ') + 1 : 0;
        if (line.startsWith("MSG ", verb)) {
            int trailing = line.indexOf(" :", verb);
            return Inbound.delivery(line, trailing < 0 ? line.length() : trailing + 2);
        }
        if (line.startsWith("ERR ") || line.startsWith("BYE ")) {
            return Inbound.error(line.toString());
        }
        return Inbound.OTHER;
    }
}
