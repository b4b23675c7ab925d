package dev.parley.bench.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * What one kill-loop soak runs: three clustered nodes of the distribution at {@code parleyHome}, {@code clients}
 * clients each in {@code roomsPerClient} of {@code rooms} rooms sending {@code rate} messages/s in all (a tenth
 * of them whispers), and a disruption every {@code gapMin}..{@code gapMax} after the previous one ended.
 *
 * @param storeUrl   {@code parley.store.url} of every node: {@code memory:} or a shared PostgreSQL JDBC URL
 * @param freezeMin  shortest SIGSTOP before SIGCONT
 * @param nodeHeap   {@code -Xmx} of each node, e.g. {@code 256m}
 * @param out        directory for the per-client logs, the disruption log and the nodes' output
 * @param kinds      the disruptions to choose from: {@code kill} (SIGKILL), {@code term} (SIGTERM), {@code stop}
 *                   (SIGSTOP, then SIGCONT); or {@code rolling} alone: SIGTERM to node 1, 2, 3, 1, ... in turn, each
 *                   restarted before the next (a rolling restart under traffic)
 * @param upgradeFrom another distribution (the previous version) that runs each node until its first restart, after
 *                   which {@code parleyHome} runs it: with {@code rolling}, a rolling upgrade under traffic; null
 *                   for none
 */
public record SoakSettings(Path parleyHome, Duration duration, long seed, int clients, int rooms, int roomsPerClient,
                           double rate, Duration gapMin, Duration gapMax, Duration freezeMin, Duration freezeMax,
                           String storeUrl, String nodeHeap, Path out, Set<String> kinds, Path upgradeFrom) {

    /** Every kind of disruption. */
    public static final Set<String> ALL_KINDS = Set.of("kill", "term", "stop");

    /** Every node runs {@code parleyHome} from the start. */
    public SoakSettings(Path parleyHome, Duration duration, long seed, int clients, int rooms, int roomsPerClient,
                        double rate, Duration gapMin, Duration gapMax, Duration freezeMin, Duration freezeMax,
                        String storeUrl, String nodeHeap, Path out, Set<String> kinds) {
        this(parleyHome, duration, seed, clients, rooms, roomsPerClient, rate, gapMin, gapMax, freezeMin, freezeMax,
                storeUrl, nodeHeap, out, kinds, null);
    }

    public SoakSettings {
        if (clients < 2 || rooms < 1 || roomsPerClient < 1 || roomsPerClient > rooms || rate <= 0) {
            throw new IllegalArgumentException("need at least 2 clients, 1 room, 1..rooms rooms per client and a"
                    + " positive rate; got " + clients + ", " + rooms + ", " + roomsPerClient + ", " + rate);
        }
        if (clients * roomsPerClient < 2 * rooms) {
            throw new IllegalArgumentException("every room needs at least 2 members: give more clients or rooms"
                    + " per client (" + clients + " x " + roomsPerClient + " < 2 x " + rooms + ")");
        }
        kinds = Set.copyOf(kinds);
        if (!kinds.equals(Set.of("rolling")) && (kinds.isEmpty() || !ALL_KINDS.containsAll(kinds))) {
            throw new IllegalArgumentException("the kinds of disruption are kill, term and stop, or rolling alone; got "
                    + kinds);
        }
        if (gapMax.compareTo(gapMin) < 0 || freezeMax.compareTo(freezeMin) < 0 || gapMin.isNegative()) {
            throw new IllegalArgumentException("need 0 <= gap-min <= gap-max and freeze-min <= freeze-max");
        }
    }

    /** The soak: 10 minutes, 8 clients in 2 of 4 rooms, 30 messages/s, a disruption every 20-40 s. */
    public static SoakSettings defaults(Path parleyHome, Path out, long seed) {
        return new SoakSettings(parleyHome, Duration.ofMinutes(10), seed, 8, 4, 2, 30, Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(5), Duration.ofSeconds(30), "memory:", "256m", out, ALL_KINDS);
    }

    /** Whether the run is a rolling restart: SIGTERM to each node in turn. */
    boolean rolling() {
        return kinds.equals(Set.of("rolling"));
    }

    /** The rooms of client {@code c}: consecutive ones, so neighbouring clients share rooms. */
    int room(int client, int k) {
        return (client + k) % rooms;
    }
}
