package dev.parley.bench.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The kill-loop soak: three clustered {@code parley server}s of a distribution on loopback, clients sending
 * numbered messages in rooms and whispers through {@link dev.parley.client.ReconnectingLink}, a
 * {@link Disruptor} killing, stopping and freezing nodes, and at the end the {@link Checker}'s verdict.
 * Everything it writes goes to {@link SoakSettings#out()}: {@code client-<n>.log} (one line per message sent,
 * answer, receipt, reconnection), {@code node-<n>.log}, {@code disruptions.log} and {@code report.md}.
 */
public final class Soak {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** How long the end of a run waits for answers and deliveries to settle. */
    private static final Duration DRAIN = Duration.ofSeconds(60);

    private final SoakSettings settings;
    private final PrintStream out;

    public Soak(SoakSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Wall clock (UTC) for the logs, to the millisecond. */
    static String now() {
        return CLOCK.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** Runs the whole soak and returns the checker's report; the nodes are stopped whatever happens. */
    public SoakReport run() throws IOException, InterruptedException {
        Files.createDirectories(settings.out());
        Files.createDirectories(settings.out().resolve("spool"));
        out.printf("soak: seed %d (replay with --seed %d), %s, %d clients in %d of %d rooms, %.0f messages/s,"
                        + " disruption every %d-%d s, freezes %d-%d s, store %s, output %s%n", settings.seed(),
                settings.seed(), settings.duration(), settings.clients(), settings.roomsPerClient(), settings.rooms(),
                settings.rate(), settings.gapMin().toSeconds(), settings.gapMax().toSeconds(),
                settings.freezeMin().toSeconds(), settings.freezeMax().toSeconds(), settings.storeUrl(), settings.out());
        if (settings.upgradeFrom() != null) {
            out.printf("soak: the nodes start on %s and run %s once restarted (an upgrade)%n", settings.upgradeFrom(),
                    settings.parleyHome());
        }
        Node[] nodes = nodes();
        // An interrupted run (Ctrl-C) must not leave nodes running, or frozen.
        Thread reaper = new Thread(() -> {
            for (Node node : nodes) {
                node.destroy();
            }
        }, "soak-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        List<SoakClient> clients = new ArrayList<>();
        Disruptor disruptor = null;
        Thread disruptorThread = null;
        try {
            for (Node node : nodes) {
                node.start();
            }
            for (Node node : nodes) {
                node.awaitListening(START_TIMEOUT);
            }
            out.println("soak: " + now() + " three nodes listening on " + Node.ports(nodes));
            List<Integer> ports = Node.ports(nodes);
            for (int c = 0; c < settings.clients(); c++) {
                SoakClient client = new SoakClient(c, settings);
                clients.add(client);
                client.open(c % nodes.length, ports);
            }
            Thread.sleep(1000); // the last JOINED reach every member before the first message
            int trafficStart = SoakClient.clock();
            clients.forEach(c -> c.trafficStart = trafficStart);
            long started = System.nanoTime();
            long deadline = started + settings.duration().toNanos();
            disruptor = new Disruptor(nodes, settings, started, deadline, out);
            disruptorThread = new Thread(disruptor, "soak-disruptor");
            disruptorThread.start();
            long sent = traffic(clients, deadline);
            out.printf("soak: %s traffic over: %d messages offered; waiting for the last disruption%n", now(), sent);
            disruptor.stop();
            disruptorThread.join();
            for (Node node : nodes) {
                if (!node.alive()) {
                    node.startListening(START_TIMEOUT);
                }
            }
            drain(clients);
            clients.forEach(c -> c.endedAlive = c.alive());
            List<Disruption> disruptions = disruptor.disruptions();
            SoakReport report = new Checker(settings, clients).check(disruptions);
            if (disruptor.failure() != null) {
                Map<String, Integer> violations = new java.util.LinkedHashMap<>(report.violations());
                violations.put("run error", 1);
                Map<String, List<String>> details = new java.util.LinkedHashMap<>(report.details());
                details.put("run error", List.of("the disruptor failed: " + disruptor.failure()));
                report = new SoakReport(report.table(), violations, details, report.disruptions());
            }
            StringBuilder log = new StringBuilder();
            disruptions.forEach(d -> log.append(d.line()).append('\n'));
            Files.writeString(settings.out().resolve("disruptions.log"), log, StandardCharsets.UTF_8);
            Files.writeString(settings.out().resolve("report.md"), "seed " + settings.seed() + "\n\n" + report.text()
                    + "\nDisruptions:\n" + log, StandardCharsets.UTF_8);
            return report;
        } finally {
            if (disruptor != null) {
                disruptor.stop();
                disruptorThread.join(TimeUnit.MINUTES.toMillis(2));
            }
            for (SoakClient client : clients) {
                client.quit();
                client.closeLog();
            }
            for (Node node : nodes) {
                if (node.alive()) {
                    try {
                        node.signal("CONT");
                    } catch (IOException e) {
                        // it ended meanwhile
                    }
                    node.term(Duration.ofSeconds(20));
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
        }
    }

    private Node[] nodes() throws IOException {
        int[] clientPorts = freePorts(3);
        int[] memberPorts = freePorts(3);
        Node[] nodes = new Node[3];
        String cluster = "soak-" + memberPorts[0];
        for (int i = 0; i < nodes.length; i++) {
            Path config = settings.out().resolve("node-" + (i + 1) + ".conf");
            Files.writeString(config, Node.config(memberPorts[i], memberPorts, cluster, settings.storeUrl(),
                    settings.out().resolve("spool").toAbsolutePath()), StandardCharsets.UTF_8);
            nodes[i] = new Node(i, clientPorts[i], memberPorts[i], config, settings);
        }
        return nodes;
    }

    /** Ports free now; all bound at once so that none is handed out twice. */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    /**
     * Offers messages at the configured rate until the deadline: each tick one client (in turn) says something
     * in one of its rooms, or (one time in ten) whispers to another client. A client whose window is full
     * skips its turn.
     */
    private long traffic(List<SoakClient> clients, long deadline) throws InterruptedException {
        Random random = new Random(settings.seed() ^ 0x5DEECE66DL);
        long period = (long) (1e9 / settings.rate());
        long next = System.nanoTime();
        long offered = 0;
        long lastReport = System.nanoTime();
        for (int turn = 0; System.nanoTime() < deadline; turn++) {
            SoakClient client = clients.get(turn % clients.size());
            int target;
            if (random.nextInt(10) == 0) {
                int to = random.nextInt(clients.size() - 1);
                target = -((to >= client.index ? to + 1 : to) + 1);
            } else {
                target = client.rooms[random.nextInt(client.rooms.length)];
            }
            if (client.send(target)) {
                offered++;
            }
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(30)) {
                lastReport = System.nanoTime();
                out.printf("soak: %s %d messages offered%n", now(), offered);
            }
        }
        return offered;
    }

    /** Waits until every client is connected with every command answered, then until deliveries stop moving. */
    private void drain(List<SoakClient> clients) throws InterruptedException {
        long until = System.nanoTime() + DRAIN.toNanos();
        while (System.nanoTime() < until
                && clients.stream().anyMatch(c -> c.inFlight() > 0 || c.reconnecting())) {
            Thread.sleep(200);
        }
        Map<SoakClient, Integer> before = new HashMap<>();
        for (int quiet = 0; quiet < 3 && System.nanoTime() < until; ) {
            Map<SoakClient, Integer> counts = new HashMap<>();
            for (SoakClient c : clients) {
                synchronized (c) {
                    int n = c.whispers.size();
                    for (IntList ids : c.receivedIds.values()) {
                        n += ids.size();
                    }
                    counts.put(c, n);
                }
            }
            quiet = counts.equals(before) ? quiet + 1 : 0;
            before = counts;
            Thread.sleep(1000);
        }
        out.printf("soak: %s drained%n", now());
    }
}
