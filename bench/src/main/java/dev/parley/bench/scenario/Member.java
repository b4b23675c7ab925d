package dev.parley.bench.scenario;

import dev.parley.bench.net.Link;
import dev.parley.bench.wire.Dialect;

/** One simulated client: its connection, where it stands and, for a publisher, its window. */
final class Member {
    final String nick;
    final String room;          // null when the member joins no room
    final boolean publisher;
    final Dialect.Parser parser;
    final Tally tally;          // its reactor thread's counters
    Link link;
    boolean registered;
    boolean joined;
    /** A member that stops reading once it has joined (fanout --stalled-members). */
    boolean stalled;
    /** A stalled member's: the first BYE or -ERR it read when it looked at its socket at the end, or null. */
    volatile String lastWord;
    /** A stalled member's: when its server's end was first seen closed (System.nanoTime), or 0. */
    volatile long cutOffNanos;
    /** A stalled member's: its socket reached its end (EOF or reset) when it read again at the end. */
    volatile boolean endSeen;
    int outstanding;
    long nextDue;
    /** Send times of the unacknowledged messages, oldest first: acknowledgements come in order. */
    final java.util.ArrayDeque<Long> sentTimes = new java.util.ArrayDeque<>();

    Member(String nick, String room, boolean publisher, Dialect.Parser parser, Tally tally) {
        this.nick = nick;
        this.room = room;
        this.publisher = publisher;
        this.parser = parser;
        this.tally = tally;
    }
}
