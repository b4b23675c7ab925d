package dev.parley.bench.cli;

import dev.parley.bench.report.Result;
import dev.parley.bench.scenario.ChatPlan;
import dev.parley.bench.scenario.ChatScenario;
import dev.parley.bench.scenario.EndToEndFileScenario;
import dev.parley.bench.scenario.FileScenario;
import dev.parley.bench.scenario.IdleScenario;
import dev.parley.bench.scenario.StartupScenario;
import dev.parley.bench.scenario.Timing;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley bench}: load scenarios against a server on this machine. Each prints a summary and one
 * {@code RESULT {json}} line, and ends by itself. Exit codes: 0 done, 1 the run failed, 2 bad arguments.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Drive a Parley, NATS or IRC server on loopback and measure it.",
        subcommands = {
                BenchCommand.Fanout.class,
                BenchCommand.Rooms.class,
                BenchCommand.Many.class,
                BenchCommand.Idle.class,
                BenchCommand.Flood.class,
                BenchCommand.File.class,
                BenchCommand.Startup.class,
                SoakCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command line with bad arguments (IllegalArgumentException) mapped to usage errors, exit code 2. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("bench: " + (e instanceof IllegalArgumentException ? "" : "failed: ") + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a scenario: fanout, rooms, many, idle, flood, file, startup or soak");
    }

    /**
     * Runs a scenario and prints its result. Bad arguments become picocli usage errors (exit 2) and I/O
     * failures one line on stderr (exit 1), the same whether the tool runs alone or under {@code parley}.
     */
    static int run(CommandLine.Model.CommandSpec spec, Callable<Result> scenario) throws InterruptedException {
        Result result;
        try {
            result = scenario.call();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            spec.commandLine().getErr().println("bench: failed: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        PrintStream out = System.out;
        out.print(result.summary());
        out.println(result.line());
        out.flush();
        return 0;
    }

    @Command(name = "fanout", mixinStandardHelpOptions = true,
            description = "One room: S members, P of them publishing.")
    static final class Fanout implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Connection connection;
        @Mixin Load load;

        @Option(names = {"-S", "--members"}, defaultValue = "100", description = "members of the room (default: ${DEFAULT-VALUE})")
        int members;

        @Option(names = {"-P", "--publishers"}, defaultValue = "4", description = "members who publish (default: ${DEFAULT-VALUE})")
        int publishers;

        @Option(names = "--saturate", description = "saturate the server: window 200, 10 s warm-up, 60 s measured"
                + " (overrides -W, --warmup, -d); reports the members cut off and delivered/acknowledged")
        boolean saturate;

        @Option(names = "--stalled-members", defaultValue = "0", paramLabel = "N",
                description = "N members (not publishers) join and then never read; reported apart: whether and when"
                        + " the server cut each off (default: ${DEFAULT-VALUE})")
        int stalled;

        @Option(names = "--metrics", paramLabel = "URL",
                description = "Parley's metrics URL (http://127.0.0.1:PORT/metrics): reports when the server decided each"
                        + " slow-consumer cut-off (its socket closes after the close grace)")
        String metricsUrl;

        @Override
        public Integer call() throws Exception {
            if (saturate) {
                load.window = 200;
                load.warmupSeconds = 10;
                load.durationSeconds = 60;
            }
            ChatPlan plan = new ChatPlan(1, members, publishers, load.messageBytes, load.window, load.rate);
            return run(spec, () -> new ChatScenario(saturate ? "fanout-saturated" : "fanout", connection.endpoint(),
                    plan, load.timing(), connection.ioThreads, load.serverPid, System.out)
                    .placed(connection.placement()).stalled(stalled).metrics(metricsUrl).run());
        }
    }

    @Command(name = "many", mixinStandardHelpOptions = true,
            description = "As many registered connections as one process may hold, in rooms of 100 with one member"
                    + " per room chatting at 1 message/s; with --pid the server's RSS, heap and CPU per connection.")
    static final class Many implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Connection connection;

        @Option(names = {"-N", "--connections"}, defaultValue = "19000", description = "connections, a multiple of the room size (default: ${DEFAULT-VALUE})")
        int connections;

        @Option(names = {"-k", "--members"}, defaultValue = "100", description = "members per room (default: ${DEFAULT-VALUE})")
        int members;

        @Option(names = "--rate", defaultValue = "1", description = "messages/s of the one chatting member per room (default: ${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--in-step", description = "every chatting member sends at the same instant of each second"
                + " (a burst of one message per room) instead of at evenly spread instants")
        boolean inStep;

        @Option(names = "--sources", defaultValue = "8", description = "connect from 127.0.0.1 .. 127.0.0.N in turn (default: ${DEFAULT-VALUE})")
        int sources;

        @Option(names = {"-d", "--duration"}, defaultValue = "30", description = "measured seconds (default: ${DEFAULT-VALUE})")
        double durationSeconds;

        @Option(names = "--warmup", defaultValue = "5", description = "warm-up seconds (default: ${DEFAULT-VALUE})")
        double warmupSeconds;

        @Option(names = "--pid", defaultValue = "0", description = "the server's process id: RSS, live heap and CPU")
        long serverPid;

        @Option(names = "--setup-timeout", defaultValue = "600", description = "seconds to connect and join everyone (default: ${DEFAULT-VALUE})")
        double setupSeconds;

        @Override
        public Integer call() throws Exception {
            if (members < 2 || connections % members != 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "connections must be a multiple of the room size (" + members + "): " + connections);
            }
            ChatPlan plan = new ChatPlan(connections / members, members, 1, 100, 16, rate);
            Timing timing = new Timing(Load.seconds(warmupSeconds), Load.seconds(durationSeconds), Load.seconds(setupSeconds));
            return run(spec, () -> new ChatScenario("many", connection.endpoint(), plan, timing, connection.ioThreads,
                    serverPid, System.out).spreadOver(Math.max(1, sources)).inStep(inStep).run());
        }
    }

    @Command(name = "rooms", mixinStandardHelpOptions = true,
            description = "R rooms of k members, every member publishing.")
    static final class Rooms implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Connection connection;
        @Mixin Load load;

        @Option(names = {"-R", "--rooms"}, defaultValue = "50", description = "rooms (default: ${DEFAULT-VALUE})")
        int rooms;

        @Option(names = {"-k", "--members"}, defaultValue = "20", description = "members per room, all publishing (default: ${DEFAULT-VALUE})")
        int members;

        @Override
        public Integer call() throws Exception {
            ChatPlan plan = new ChatPlan(rooms, members, members, load.messageBytes, load.window, load.rate);
            return run(spec, () -> new ChatScenario("rooms", connection.endpoint(), plan, load.timing(),
                    connection.ioThreads, load.serverPid, System.out).placed(connection.placement()).run());
        }
    }

    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = "N registered connections that stay silent; with --pid, the server's RSS per connection.")
    static final class Idle implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Connection connection;

        @Option(names = {"-N", "--connections"}, defaultValue = "1000", description = "connections (default: ${DEFAULT-VALUE})")
        int connections;

        @Option(names = "--pid", defaultValue = "0", description = "the server's process id, to read its VmRSS")
        long pid;

        @Option(names = "--hold", defaultValue = "3", description = "seconds to hold the connections before reading RSS (default: ${DEFAULT-VALUE})")
        double holdSeconds;

        @Option(names = "--setup-timeout", defaultValue = "180", description = "seconds to connect everyone (default: ${DEFAULT-VALUE})")
        double setupSeconds;

        @Override
        public Integer call() throws Exception {
            return run(spec, () -> new IdleScenario(connection.endpoint(), connections, pid, Load.seconds(holdSeconds),
                    Load.seconds(setupSeconds), connection.ioThreads, System.out).run());
        }
    }

    @Command(name = "flood", mixinStandardHelpOptions = true,
            description = {"The memory bound (Parley only): C connections each pipeline B bytes of ~4 kB PINGs and never"
                    + " read the answers, while a probe sends PING every 100 ms and times each answer.",
                    "Reports the probe's p50/p99/max and the probes not answered within 1 s, the flood connections"
                            + " cut off, and with --pid whether the server is alive (--term-after: SIGTERM, time to exit)."})
    static final class Flood implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Connection connection;

        @Option(names = {"-C", "--connections"}, defaultValue = "100", description = "flood connections (default: ${DEFAULT-VALUE})")
        int connections;

        @Option(names = {"-b", "--bytes"}, defaultValue = "6MiB", paramLabel = "SIZE",
                description = "bytes each flood connection pipelines: 6291456, 6MiB, 512KiB (default: ${DEFAULT-VALUE})")
        String bytes;

        @Option(names = "--ping-bytes", defaultValue = "4000", description = "length of each PING line (default: ${DEFAULT-VALUE})")
        int pingBytes;

        @Option(names = "--receive-buffer", defaultValue = "8192", paramLabel = "BYTES",
                description = "SO_RCVBUF of the flood connections, so the unread answers wait in the server rather than in"
                        + " the kernel; 0 = the system's (default: ${DEFAULT-VALUE})")
        int receiveBuffer;

        @Option(names = "--sources", defaultValue = "8",
                description = "connect from 127.0.0.1 .. 127.0.0.N in turn: Parley allows 100 connections per address by default (default: ${DEFAULT-VALUE})")
        int sources;

        @Option(names = {"-d", "--duration"}, defaultValue = "30", description = "seconds the run lasts, flood and probe (default: ${DEFAULT-VALUE})")
        double durationSeconds;

        @Option(names = "--pid", defaultValue = "0", description = "the server's process id: alive at the end, its largest RSS")
        long serverPid;

        @Option(names = "--term-after", paramLabel = "SECONDS",
                description = "send SIGTERM to --pid this many seconds into the flood and report how long it took to exit")
        Double termAfterSeconds;

        @Option(names = "--server-log", paramLabel = "FILE",
                description = "the server's log: lines added during the run that name OutOfMemoryError, and ERROR lines, are counted")
        Path serverLog;

        @Option(names = "--metrics", paramLabel = "URL",
                description = "Parley's metrics URL (http://127.0.0.1:PORT/metrics): its cut-offs by cause and when")
        String metricsUrl;

        @Override
        public Integer call() throws Exception {
            return run(spec, () -> new dev.parley.bench.scenario.FloodScenario(connection.endpoint(),
                    new dev.parley.bench.scenario.FloodScenario.Plan(connections, size(bytes), pingBytes, receiveBuffer,
                            sources, Load.seconds(durationSeconds),
                            termAfterSeconds == null ? null : Load.seconds(termAfterSeconds)),
                    serverPid, serverLog, metricsUrl, System.out).run());
        }
    }

    /** A byte count: digits with an optional binary suffix (k, KiB, m, MiB, g, GiB; case ignored). */
    static long size(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([kmg]?)(i?b)?").matcher(text.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (e.g. 6MiB, 512KiB, 6291456): " + text);
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    /**
     * {@code bench file}'s CHUNK size and window: those of {@code parley send} (the launcher's
     * {@code FileUpload}, which this module cannot see; a launcher test holds them equal), so that the upload
     * hop measures what Parley's own client gets. They can matter: with 1 MiB chunks, each payload at a -Xmx64m
     * server ends as a humongous G1 allocation, and 256 MiB uploads ran about a third slower (bench/results/2026-11-25-profiles.md,
     * File hops, point 5).
     */
    public static final int FILE_CHUNK_BYTES = 256 * 1024;
    /** See {@link #FILE_CHUNK_BYTES}. */
    public static final int FILE_WINDOW = 8;

    @Command(name = "file", mixinStandardHelpOptions = true,
            description = {"OFFER and CHUNK a file up, then FETCH it: MiB/s per hop (Parley only).",
                    "With --end-to-end: starts a server at --server-xmx and times parley send to a waiting parley"
                            + " receive, start to verified file, beside socat's loopback copy (the better of two);"
                            + " then each command alone."})
    static final class File implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Connection connection;

        @Option(names = {"-X", "--size"}, defaultValue = "64", description = "file size in MiB (default: ${DEFAULT-VALUE})")
        long sizeMib;

        @Option(names = "--warmup", paramLabel = "MIB",
                description = "a file of this many MiB goes up and back first, untimed, so the server's JIT is warm; 0: none (default: the file's size, at most 64)")
        Long warmupMib;

        @Option(names = "--chunk-bytes", defaultValue = "" + FILE_CHUNK_BYTES,
                description = "CHUNK size (default: ${DEFAULT-VALUE}, as parley send)")
        int chunkBytes;

        @Option(names = {"-W", "--window"}, defaultValue = "" + FILE_WINDOW,
                description = "unacknowledged chunks (default: ${DEFAULT-VALUE}, as parley send)")
        int window;

        @Option(names = "--verify", description = "check the SHA-256 of what FETCH returned (costs client CPU)")
        boolean verify;

        @Option(names = "--end-to-end", description = "run the distribution's parley server, send and receive as"
                + " processes instead (ignores --port, --chunk-bytes, --window); --warmup sends a file that large first")
        boolean endToEnd;

        @Option(names = "--parley-home", paramLabel = "DIR",
                description = "with --end-to-end: the distribution (default: the one running this command)")
        Path parleyHome;

        @Option(names = "--file", paramLabel = "PATH",
                description = "with --end-to-end: send this file (default: a random one of --size MiB)")
        Path file;

        @Option(names = "--server-xmx", defaultValue = "64m",
                description = "with --end-to-end: the server's maximum heap, as -Xmx takes it (default: ${DEFAULT-VALUE})")
        String serverXmx;

        @Option(names = "--socat", defaultValue = "socat", description = "with --end-to-end: socat's path (default: ${DEFAULT-VALUE})")
        String socat;

        @Option(names = "--cold-wait", defaultValue = "3",
                description = "with --end-to-end: seconds between deleting a copy's previous output and the next copy (default: ${DEFAULT-VALUE})")
        double coldWaitSeconds;

        @Override
        public Integer call() throws Exception {
            if (endToEnd) {
                Path home = parleyHome != null ? parleyHome
                        : System.getProperty("parley.home") != null ? Path.of(System.getProperty("parley.home")) : null;
                return run(spec, () -> new EndToEndFileScenario(home, sizeMib << 20, file, "-Xmx" + serverXmx, socat,
                        Load.seconds(coldWaitSeconds).toMillis(), warmup() << 20, System.out).run());
            }
            return run(spec, () -> new FileScenario(connection.endpoint(), sizeMib << 20, warmup() << 20, chunkBytes, window, verify, System.out).run());
        }

        /** As given; by default as large as the measured file, up to 64 MiB (enough for the JIT, not a second run). */
        private long warmup() {
            return warmupMib != null ? warmupMib : Math.max(0, Math.min(sizeMib, 64));
        }
    }

    @Command(name = "startup", mixinStandardHelpOptions = true,
            description = "Start a server command and time it until a new connection reads its first line.")
    static final class Startup implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Connection connection;

        @Option(names = "--timeout", defaultValue = "30", description = "seconds to wait (default: ${DEFAULT-VALUE})")
        double timeoutSeconds;

        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the server's command line, after --")
        List<String> command;

        @Override
        public Integer call() throws Exception {
            return run(spec, () -> new StartupScenario(command, connection.endpoint(), Load.seconds(timeoutSeconds)).run());
        }
    }
}
