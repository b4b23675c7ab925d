package dev.parley.bench.soak;

import dev.parley.bench.soak.Disruption.Kind;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Every {@code gap-min}..{@code gap-max} after the previous disruption began (and not before that node is back),
 * picks a node and kills it with SIGKILL, stops it with SIGTERM (then restarts either on the same ports), or
 * freezes it with SIGSTOP for {@code freeze-min}..{@code freeze-max} before SIGCONT (a node that then stops by
 * itself, having found the others counted it out, is started again). The choices come from one {@link Random} of
 * the run's seed, so a run can be replayed. The kinds are dealt in rounds: each round has every kind of the run
 * (all three by default) once, in a random order, so even a short run has each kind once and a long one about as
 * many of each (a 10-minute run, some 15-20 disruptions, at least 5 of each).
 */
final class Disruptor implements Runnable {
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(90);
    /** How long after SIGCONT a node that was cut off takes at most to stop by itself. */
    private static final Duration SELF_STOP_WAIT = Duration.ofSeconds(3);
    /** As docs/operations.md's systemd unit (RestartSec=2s): its clients resume elsewhere before it boots. */
    private static final Duration SUPERVISOR_DELAY = Duration.ofSeconds(2);

    private final Node[] nodes;
    private final SoakSettings settings;
    private final Random random;
    private final long deadline;
    private final long started;
    private final PrintStream out;
    private final List<Disruption> done = Collections.synchronizedList(new ArrayList<>());
    /** The kinds this run chooses from (settings' kinds), in declaration order. */
    private final List<Kind> allowed;
    /** What is left of the current round of kinds. */
    private final List<Kind> round = new ArrayList<>();
    private volatile boolean stop;
    private volatile Throwable failure;

    Disruptor(Node[] nodes, SoakSettings settings, long started, long deadline, PrintStream out) {
        this.nodes = nodes;
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.started = started;
        this.deadline = deadline;
        this.out = out;
        this.allowed = List.copyOf(settings.rolling() ? List.of(Kind.SIGTERM) : Arrays.stream(Kind.values())
                .filter(k -> settings.kinds().contains(k.option)).toList());
    }

    /** The next kind: the rest of the current round, or a new round of every allowed kind in a random order. */
    Kind nextKind() {
        if (round.isEmpty()) {
            round.addAll(allowed);
            Collections.shuffle(round, random);
        }
        return round.remove(0);
    }

    @Override
    public void run() {
        try {
            long previousStart = System.nanoTime();
            while (!stop) {
                long gap = pick(settings.gapMin(), settings.gapMax());
                if (!sleepUntil(previousStart + gap)) {
                    return;
                }
                previousStart = System.nanoTime();
                int node = settings.rolling() ? done.size() % nodes.length : random.nextInt(nodes.length);
                Kind kind = nextKind();
                long freeze = pick(settings.freezeMin(), settings.freezeMax());
                disrupt(nodes[node], kind, freeze);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
            out.println("soak: disruptor failed: " + e);
        }
    }

    private void disrupt(Node node, Kind kind, long freezeNanos) throws IOException, InterruptedException {
        double at = seconds(System.nanoTime() - started);
        long t0 = System.nanoTime();
        String note = "";
        out.printf("soak: %5.0fs %s on %s%n", at, kind.label, node);
        switch (kind) {
            case KILL9 -> {
                node.kill9();
                node.startListening(RESTART_TIMEOUT);
            }
            case SIGTERM -> {
                if (!node.term(Duration.ofSeconds(30))) {
                    note = "did not stop within 30 s after SIGTERM: killed";
                }
                node.startListening(RESTART_TIMEOUT);
            }
            case FREEZE -> {
                node.signal("STOP");
                try {
                    Thread.sleep(freezeNanos / 1_000_000);
                } finally {
                    node.signal("CONT");
                }
                // A node frozen past the heartbeat timeout finds the others counted it out, and stops; its
                // supervisor (here the soak) starts it again, as systemd's Restart=on-failure would.
                OptionalInt status = node.exitWithin(SELF_STOP_WAIT);
                if (status.isPresent()) {
                    note = "stopped itself after SIGCONT (exit status " + status.getAsInt() + "): restarted";
                    Thread.sleep(SUPERVISOR_DELAY.toMillis());
                    node.startListening(RESTART_TIMEOUT);
                }
            }
        }
        Disruption d = new Disruption(at, node.index, kind, seconds(System.nanoTime() - t0), note);
        done.add(d);
        out.println("soak: " + d.line());
    }

    private long pick(Duration min, Duration max) {
        long span = max.toNanos() - min.toNanos();
        return min.toNanos() + (span == 0 ? 0 : (long) (random.nextDouble() * span));
    }

    /** Sleeps until {@code wakeAt} or the deadline; true when it is time for a disruption. */
    private boolean sleepUntil(long wakeAt) throws InterruptedException {
        long until = Math.min(wakeAt, deadline);
        for (long left; !stop && (left = until - System.nanoTime()) > 0; ) {
            Thread.sleep(Math.min(200, Math.max(1, left / 1_000_000)));
        }
        return !stop && wakeAt <= deadline;
    }

    void stop() {
        stop = true;
    }

    List<Disruption> disruptions() {
        synchronized (done) {
            return List.copyOf(done);
        }
    }

    Throwable failure() {
        return failure;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
