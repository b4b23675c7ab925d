package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode of the packaged distribution, as real processes: lib/cluster/ is loaded as a layer only when
 * {@code parley.cluster.enabled = true}, and two such servers on loopback form one chat.
 */
class ClusterDistributionIT {
    private static final Path DIST = Path.of(System.getProperty("parley.dist", "target/parley")).toAbsolutePath();
    /** Hazelcast members take a while to start on a busy machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern LISTENING = Pattern.compile("Parley \\S+ listening on [^ ]+:(\\d+) with plugins");

    private final List<Process> processes = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    @DisplayName("a single server resolves no Hazelcast module, and ignores the settings of a disabled cluster")
    void singleServerHasNoHazelcast() throws Exception {
        Path output = tmp.resolve("single.log");
        Process parley = start(output, "--show-module-resolution -Dparley.cluster.port=5999");
        int port = awaitListening(parley, output);
        assertThat(Files.readString(output)).contains("dev.parley.chat").doesNotContain("com.hazelcast");
        try (Socket socket = connect(port)) {
            assertThat(reader(socket).readLine()).startsWith("HELLO ");
        }
        parley.destroy();
        assertThat(parley.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(parley.exitValue()).isZero();
    }

    @Test
    @DisplayName("two servers with parley.cluster.enabled = true form one chat: nicks, rooms, messages, whispers")
    void twoNodes() throws Exception {
        int member1 = FreePorts.next();
        int member2 = FreePorts.next();
        // Each node keeps its own memory store: this test is about membership and relaying, and a shared
        // PostgreSQL (what a real cluster needs; SQLite is refused) would make it depend on one being installed.
        String cluster = "-Dparley.store.url=memory: -Dparley.cluster.enabled=true -Dparley.cluster.name=it-"
                + System.nanoTime()
                + " -Dparley.cluster.host=127.0.0.1 -Dparley.cluster.members=[\"127.0.0.1:" + member1
                + "\",\"127.0.0.1:" + member2 + "\"]";
        Path log1 = tmp.resolve("node1.log");
        Path log2 = tmp.resolve("node2.log");
        Process node1 = start(log1, cluster + " -Dparley.cluster.port=" + member1);
        Process node2 = start(log2, cluster + " -Dparley.cluster.port=" + member2);
        int port1 = awaitListening(node1, log1);
        int port2 = awaitListening(node2, log2);
        assertThat(Files.readString(log1)).contains("Members {size:2");

        Socket alice = connect(port1);
        Socket bob = connect(port2);
        BufferedReader aliceIn = reader(alice);
        BufferedReader bobIn = reader(bob);
        assertThat(aliceIn.readLine()).startsWith("HELLO ");
        assertThat(bobIn.readLine()).startsWith("HELLO ");
        send(alice, "NICK alice");
        assertThat(aliceIn.readLine()).startsWith("OK NICK alice");
        send(bob, "NICK ALICE");
        assertThat(bobIn.readLine()).startsWith("ERR NICK NICK_IN_USE");
        send(bob, "NICK bob");
        assertThat(bobIn.readLine()).startsWith("OK NICK bob");
        send(alice, "JOIN #it");
        assertThat(aliceIn.readLine()).isEqualTo("OK JOIN #it");
        send(bob, "JOIN #it");
        assertThat(bobIn.readLine()).isEqualTo("OK JOIN #it");
        assertThat(aliceIn.readLine()).endsWith("JOINED #it bob");
        send(bob, "SAY #it :hello across");
        assertThat(bobIn.readLine()).isEqualTo("OK SAY #it");
        // In a cluster a msgid is the message's place in the room's log + 1, where JOINED took places too
        // (protocol.md: increasing, with gaps), so the first message is not msgid 1.
        assertThat(aliceIn.readLine()).containsPattern("msgid=[1-9][0-9]*;").endsWith("MSG #it bob :hello across");
        send(alice, "TELL bob :psst");
        assertThat(aliceIn.readLine()).isEqualTo("OK TELL bob");
        assertThat(bobIn.readLine()).endsWith("WHISPER alice :psst");

        node2.destroy();
        node1.destroy();
        assertThat(node2.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(node1.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(node1.exitValue()).as(Files.readString(log1)).isZero();
        assertThat(node2.exitValue()).as(Files.readString(log2)).isZero();
    }

    // ---- helpers ----

    /** bin/parley server on a free client port, output to a file, in a shared scratch directory (one spool). */
    private Process start(Path output, String javaOpts) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(DIST.resolve("bin/parley").toString(), "server", "--port", "0")
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(Files.createDirectories(tmp.resolve("cwd")).toFile());
        builder.environment().put("JAVA_OPTS", javaOpts + " -Dparley.http.port=0");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static int awaitListening(Process process, Path output) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(Files.readString(output));
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no listening line; output:\n" + Files.readString(output));
    }

    private Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        sockets.add(socket);
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }
}
