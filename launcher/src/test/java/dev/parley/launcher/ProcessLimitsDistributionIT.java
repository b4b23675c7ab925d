package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server at the edges of its process: an OutOfMemoryError ends it (so a supervisor restarts it),
 * and running out of file descriptors neither floods the log nor stops it serving.
 */
@DisplayName("the distribution at its process limits")
class ProcessLimitsDistributionIT {
    private static final String ON_OOM = "-XX:+ExitOnOutOfMemoryError";

    @TempDir
    Path tmp;
    private final List<ParleyProcess> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.process.destroyForcibly());
    }

    /** {@code bin/parley server} with JAVA_OPTS and extra environment, optionally behind a command prefix. */
    private ParleyProcess server(String javaOpts, Map<String, String> env, String... prefix) throws IOException {
        List<String> command = new ArrayList<>(List.of(prefix));
        command.add(ParleyProcess.DIST.resolve("bin/parley").toString());
        command.add("server");
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", ParleyProcess.privateStore(tmp.resolve("server-" + servers.size())) + " -Dparley.http.port=0"
                + " -Dparley.server.port=0 -Dparley.filetransfer.spool-dir="
                + tmp.resolve("spool") + " " + javaOpts);
        builder.environment().putAll(env);
        ParleyProcess server = new ParleyProcess(builder.start());
        servers.add(server);
        return server;
    }

    @Test
    @DisplayName("bin/parley runs the JVM with -XX:+ExitOnOutOfMemoryError unless PARLEY_ON_OOM is set empty")
    void onOomFlag() throws Exception {
        ParleyProcess byDefault = server("", Map.of());
        byDefault.awaitListening();
        assertThat(byDefault.process.toHandle().info().arguments()).hasValueSatisfying(
                args -> assertThat(args).contains(ON_OOM));

        ParleyProcess turnedOff = server("", Map.of("PARLEY_ON_OOM", ""));
        turnedOff.awaitListening();
        assertThat(turnedOff.process.toHandle().info().arguments()).hasValueSatisfying(
                args -> assertThat(args).doesNotContain(ON_OOM));
    }

    @Test
    @DisplayName("bin/parley server gives free heap back (a periodic G1 cycle, at most 20 % free) unless JAVA_OPTS sets a free ratio")
    void heapGivenBack() throws Exception {
        ParleyProcess byDefault = server("", Map.of());
        byDefault.awaitListening();
        assertThat(byDefault.process.toHandle().info().arguments()).hasValueSatisfying(args -> assertThat(args)
                .contains("-XX:G1PeriodicGCInterval=10000", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20"));

        // Beside the script's MaxHeapFreeRatio=20 this would be refused by the JVM ("MinHeapFreeRatio (40) must be
        // less than or equal to MaxHeapFreeRatio (20)"), and the server would not start.
        ParleyProcess ownRatio = server("-XX:MinHeapFreeRatio=40", Map.of());
        ownRatio.awaitListening();
        assertThat(ownRatio.process.toHandle().info().arguments()).hasValueSatisfying(args -> assertThat(args)
                .contains("-XX:MinHeapFreeRatio=40").doesNotContain("-XX:MaxHeapFreeRatio=20",
                        "-XX:G1PeriodicGCInterval=10000"));
    }

    @Test
    @DisplayName("an OutOfMemoryError in a running server ends the process at once (exit code 3), instead of leaving it half-dead")
    void outOfMemoryExits() throws Exception {
        // A heap far below what the (raised) payload limit lets one frame hold: buffering it runs the heap out. The
        // server-wide budget would cut the connection off first, so it is raised too: this is about what happens
        // when something does run the heap out.
        ParleyProcess server = server("-Xmx32m -Dparley.limits.max-payload-bytes=512m"
                + " -Dparley.limits.max-total-pending-bytes=1g", Map.of());
        int port = Integer.parseInt(server.awaitListening().group(2));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("@size=400000000 PING x\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 380 && server.process.isAlive(); i++) {
                out.write(chunk);
            }
        } catch (IOException connectionCut) {
            // the process ended under the upload
        }
        assertThat(server.awaitExit()).as("exit code; output:\n%s", server.output()).isEqualTo(3);
        assertThat(server.finalOutput()).contains("Terminating due to java.lang.OutOfMemoryError");
    }

    @Test
    @DisplayName("out of file descriptors (prlimit --nofile=200): one warning naming what to raise, served connections keep working, waiting ones are accepted once descriptors free up")
    void outOfDescriptors() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs util-linux's prlimit to lower the limit");
        ParleyProcess server = server("-Dparley.limits.max-connections-per-address=0", Map.of(),
                "/usr/bin/prlimit", "--nofile=200:200");
        int port = Integer.parseInt(server.awaitListening().group(2));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        List<SocketChannel> clients = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            SocketChannel early = connect(address, selector, clients);
            awaitHellos(selector, hello -> hello.contains(early));
            for (int i = 0; i < 300; i++) {
                connect(address, selector, clients);
            }
            server.awaitLine(line -> line.contains("out of file descriptors"));

            // The connections it has are still served: a PING on the first one is answered.
            early.write(ByteBuffer.wrap("PING still\n".getBytes(StandardCharsets.US_ASCII)));
            Set<SocketChannel> greeted = awaitHellos(selector, lines -> lines.pingAnswered);
            assertThat(greeted).hasSizeLessThan(clients.size());
            // Close what was accepted (but the first): the waiting connections are accepted now.
            for (SocketChannel c : greeted) {
                if (c != early) {
                    c.close();
                }
            }
            Set<SocketChannel> waiting = new HashSet<>(clients);
            waiting.removeAll(greeted);
            server.awaitLine(line -> line.contains("accepting connections again"));
            Set<SocketChannel> later = awaitHellos(selector, hello -> hello.helloFrom.stream()
                    .anyMatch(waiting::contains));
            assertThat(later).isNotEmpty();
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
        }
        String log = server.output();
        assertThat(log.lines().filter(l -> l.contains("out of file descriptors"))).as(log).hasSize(1);
        assertThat(log).contains("Raise the limit (ulimit -n, or LimitNOFILE=");
        assertThat(log).doesNotContain("Error Calling Accept").doesNotContain("java.io.IOException: Too many open files");
    }

    private static SocketChannel connect(InetSocketAddress address, Selector selector, List<SocketChannel> clients)
            throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, new StringBuilder());
        clients.add(channel);
        return channel;
    }

    /** What the clients read so far. */
    private static final class Seen {
        final Set<SocketChannel> helloFrom = new HashSet<>();
        boolean pingAnswered;

        boolean contains(SocketChannel c) {
            return helloFrom.contains(c);
        }
    }

    /**
     * Reads every client until the condition holds (failing after the timeout): which clients got their HELLO
     * (from now on), and whether a PING was answered.
     */
    private static Set<SocketChannel> awaitHellos(Selector selector, Predicate<Seen> until) throws IOException {
        Seen seen = new Seen();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ParleyProcess.TIMEOUT.toSeconds());
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (!until.test(seen)) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel channel = (SocketChannel) key.channel();
                StringBuilder text = (StringBuilder) key.attachment();
                buffer.clear();
                int n;
                try {
                    n = channel.read(buffer);
                } catch (IOException closed) {
                    n = -1;
                }
                if (n < 0) {
                    key.cancel();
                    continue;
                }
                text.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
                if (text.indexOf("HELLO ") >= 0) {
                    seen.helloFrom.add(channel);
                }
                if (text.indexOf("OK PING still") >= 0) {
                    seen.pingAnswered = true;
                }
            }
            selector.selectedKeys().clear();
        }
        return seen.helloFrom;
    }
}
