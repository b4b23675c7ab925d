package dev.parley.bench.cli;

import dev.parley.bench.soak.Soak;
import dev.parley.bench.soak.SoakReport;
import dev.parley.bench.soak.SoakSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley bench soak}: the kill-loop soak of a three-node cluster (see docs/cluster.md). Exit codes: 0
 * no violation, 1 violations or a failed run, 2 bad arguments.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Three clustered servers of a distribution on loopback, clients chatting and whispering"
                + " with RESUME, a node killed (kill -9), stopped (SIGTERM) or frozen (SIGSTOP) every 20-40 s;"
                + " then checks that nothing acknowledged was lost, reordered or numbered twice and no session lost.")
final class SoakCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--parley-home", description = "the distribution whose bin/parley runs the nodes"
            + " (default: the one running this command, else launcher/target/parley)")
    Path parleyHome;

    @Option(names = {"-d", "--duration"}, defaultValue = "10m", description = "traffic time: 600s, 10m (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--seed", description = "seed of the disruptions and the traffic (default: random, printed)")
    Long seed;

    @Option(names = "--clients", defaultValue = "8", description = "clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--rooms", defaultValue = "4", description = "rooms (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--rooms-per-client", defaultValue = "2", description = "rooms each client joins (default: ${DEFAULT-VALUE})")
    int roomsPerClient;

    @Option(names = "--rate", defaultValue = "30", description = "messages/s offered by all clients together (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--gap-min", defaultValue = "20s", description = "least time from one disruption's start to the next's, which also waits for the node to be back (default: ${DEFAULT-VALUE})")
    String gapMin;

    @Option(names = "--gap-max", defaultValue = "40s", description = "most time from one disruption's start to the next's (default: ${DEFAULT-VALUE})")
    String gapMax;

    @Option(names = "--freeze-min", defaultValue = "5s", description = "shortest SIGSTOP (default: ${DEFAULT-VALUE})")
    String freezeMin;

    @Option(names = "--freeze-max", defaultValue = "30s", description = "longest SIGSTOP (default: ${DEFAULT-VALUE})")
    String freezeMax;

    @Option(names = "--store-url", defaultValue = "memory:", description = "parley.store.url of every node, e.g. a"
            + " shared jdbc:postgresql://127.0.0.1:5432/parley?user=parley (default: ${DEFAULT-VALUE})")
    String storeUrl;

    @Option(names = "--kinds", split = ",", defaultValue = "kill,term,stop",
            description = "disruptions to choose from: kill (SIGKILL), term (SIGTERM), stop (SIGSTOP); or rolling: SIGTERM"
                    + " to each node in turn (default: ${DEFAULT-VALUE})")
    List<String> kinds;

    @Option(names = "--node-heap", defaultValue = "256m", description = "-Xmx of each node (default: ${DEFAULT-VALUE})")
    String nodeHeap;

    @Option(names = "--upgrade-from", description = "distribution of the previous version: the nodes start on it"
            + " and run --parley-home once restarted (with --kinds rolling, a rolling upgrade under traffic)")
    Path upgradeFrom;

    @Option(names = "--out", description = "directory for the logs and report.md (default: bench/target/soak-<date>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        SoakSettings settings;
        try {
            settings = new SoakSettings(home(), duration(duration), seed != null ? seed : System.nanoTime(), clients,
                    rooms, roomsPerClient, rate, duration(gapMin), duration(gapMax), duration(freezeMin),
                    duration(freezeMax), storeUrl, nodeHeap,
                    out != null ? out : Path.of("bench/target/soak-" + LocalDate.now(ZoneOffset.UTC)),
                    Set.copyOf(kinds), upgradeFrom != null ? upgradeFrom.toAbsolutePath() : null);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!settings.parleyHome().resolve("bin/parley").toFile().canExecute()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no distribution at " + settings.parleyHome()
                    + ": build it with 'mvn -B -o -q package -DskipTests -DskipITs' or give --parley-home");
        }
        if (settings.upgradeFrom() != null && !settings.upgradeFrom().resolve("bin/parley").toFile().canExecute()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no distribution at " + settings.upgradeFrom()
                    + " (--upgrade-from): give the home of an unpacked parley distribution, with bin/parley");
        }
        SoakReport report;
        try {
            report = new Soak(settings, System.out).run();
        } catch (Exception e) {
            System.err.println("bench soak: failed: " + e.getMessage() + " (logs in " + settings.out() + ")");
            return 1;
        }
        System.out.print(report.text());
        System.out.flush();
        return report.passed() ? 0 : 1;
    }

    private Path home() {
        if (parleyHome != null) {
            return parleyHome.toAbsolutePath();
        }
        String running = System.getProperty("parley.home");
        return Path.of(running != null ? running : "launcher/target/parley").toAbsolutePath();
    }

    /** {@code 90}, {@code 90s}, {@code 10m}, {@code 1h} or an ISO-8601 duration. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(text.trim());
            }
            char unit = t.charAt(t.length() - 1);
            double n = Double.parseDouble(Character.isDigit(unit) ? t : t.substring(0, t.length() - 1));
            double seconds = switch (unit) {
                case 'h' -> n * 3600;
                case 'm' -> n * 60;
                case 's' -> n;
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new IllegalArgumentException("unknown unit '" + unit + "' in " + text);
                    }
                    yield n;
                }
            };
            return Duration.ofMillis(Math.round(seconds * 1000));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use 90s, 10m or 1h)");
        }
    }
}
