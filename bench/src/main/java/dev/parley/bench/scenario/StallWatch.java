package dev.parley.bench.scenario;

import dev.parley.bench.report.Result;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Watches the members that never read: every 100 ms it looks at the server's end of their connections
 * ({@link ServerEnds}) and notes when each was first closed, from the start of publishing. At the end
 * ({@link #finish}) the members read again, so what the server left in their sockets shows: its last word
 * ({@code BYE SLOW_CONSUMER} when the socket still took it) and the socket's end.
 */
final class StallWatch {
    private static final long POLL_MILLIS = 100;

    private final List<Member> members;
    private final long startNanos;
    private final Map<ServerEnds.End, Member> ends = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** The kernel's table showed every watched connection open at the first look: its later changes mean something. */
    private volatile boolean seeing;

    StallWatch(List<Member> members, Endpoint endpoint, long startNanos) {
        this.members = members;
        this.startNanos = startNanos;
        for (Member m : members) {
            InetSocketAddress local = m.link.localAddress();
            if (local != null) {
                ends.put(ServerEnds.End.of(local, endpoint.port()), m);
            }
        }
        seeing = ends.size() == members.size() && look(true);
        thread = new Thread(this::loop, "bench-stall-watch");
        thread.setDaemon(true);
        if (seeing) {
            thread.start();
        }
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            look(false);
        }
    }

    /** One look at the table; on the first, whether every watched connection is there and open. */
    private boolean look(boolean first) {
        Map<ServerEnds.End, Boolean> open;
        try {
            open = ServerEnds.open(ends.keySet());
        } catch (IOException | RuntimeException e) {
            return false;
        }
        long now = System.nanoTime();
        if (first) {
            return !open.containsValue(false);
        }
        open.forEach((end, isOpen) -> {
            Member m = ends.get(end);
            if (!isOpen && m.cutOffNanos == 0) {
                m.cutOffNanos = now;
            }
        });
        return true;
    }

    /** Stops watching, then lets the members read what waited for them, until their sockets end (at most 5 s). */
    void finish(Crowd crowd) throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(1000);
        if (seeing) {
            look(false);
        }
        for (Member m : members) {
            m.link.reactor().execute(m.link::resumeReading);
        }
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until && members.stream().anyMatch(m -> !m.endSeen && (m.cutOffNanos != 0 || !seeing))) {
            Thread.sleep(20);
        }
    }

    /** The stalled members' part of the result. */
    void report(Result result) {
        int cutOff = 0;
        int bye = 0;
        double max = -1;
        StringJoiner each = new StringJoiner(",");
        String lastWord = "";
        for (Member m : members) {
            boolean off = m.cutOffNanos != 0 || m.endSeen;
            if (off) {
                cutOff++;
            }
            if (m.cutOffNanos != 0) {
                double s = (m.cutOffNanos - startNanos) / 1e9;
                max = Math.max(max, s);
                each.add(String.format(Locale.ROOT, "%.1f", s));
            } else {
                each.add(off ? "end" : "no");
            }
            if (m.lastWord != null) {
                if (lastWord.isEmpty()) {
                    lastWord = m.lastWord.length() > 80 ? m.lastWord.substring(0, 80) : m.lastWord;
                }
                if (m.lastWord.startsWith("BYE SLOW_CONSUMER")) {
                    bye++;
                }
            }
        }
        result.put("stalled_members", (long) members.size())
                .put("stalled_cut_off", (long) cutOff)
                .put("stalled_cut_off_s", each.toString())
                .put("stalled_cut_off_max_s", max)
                .put("stalled_read_bye", (long) bye)
                .put("stalled_last_word", lastWord)
                .put("stalled_seen_by", seeing ? "server-socket-state" : "end-of-run");
    }
}
