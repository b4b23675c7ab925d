package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server in a 128 MiB heap against hostile input, a command flood and a client that never reads
 * (the acceptance of the hardening issue). Latencies are measured and printed, not asserted.
 */
@DisplayName("the distribution under hostile load, -Xmx128m")
class HardeningDistributionIT {
    private static final Path DIST = Path.of(System.getProperty("parley.dist", "target/parley")).toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("listening on ([^ ]+):(\\d+)");

    private final List<Process> processes = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    /** The server's log lines saying it cut a connection off as a slow consumer. */
    private final BlockingQueue<String> cutOff = new LinkedBlockingQueue<>(1000);

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws IOException {
        for (Client c : clients) {
            c.close();
        }
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    @DisplayName("50 MB line, bad UTF-8, NUL, ESC, bad and 10 GB size tags, half payloads, 300 garbage connections: all answered, the server stays up")
    void hostileInput() throws Exception {
        int port = start("-Xmx128m -Dparley.limits.max-connections-per-address=0");
        try (Client c = connect(port).hello()) {
            c.send("NICK :\u001b[2J\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readLine()).startsWith("ERR * BAD_SYNTAX");
            c.send(new byte[] {'N', 'I', 'C', 'K', ' ', 'a', 0, 'b', '\n'});
            assertThat(c.readLine()).startsWith("ERR * BAD_SYNTAX");
            c.send(new byte[] {'S', 'A', 'Y', ' ', '#', 'r', ' ', ':', (byte) 0xC3, 0x28, '\n'});
            assertThat(c.readLine()).startsWith("ERR * BAD_ENCODING");
            c.send("@size=-5 HELP\n@size=1x HELP\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("ERR * BAD_SYNTAX");
            assertThat(c.readLine()).startsWith("ERR * BAD_SYNTAX");
            byte[] chunk = new byte[1024 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            c.send("SAY #r :".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 50; i++) {
                c.send(chunk);
            }
            c.send("\nPING x\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("ERR * LINE_TOO_LONG");
            assertThat(c.readLine()).isEqualTo("OK PING x");
            c.send("@size=10737418240 UPLOAD f\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("ERR * PAYLOAD_TOO_LARGE");
            assertThat(c.readLine()).startsWith("BYE PROTOCOL");
        }
        try (Client c = connect(port).hello()) {
            byte[] chunk = new byte[1024 * 1024];
            Arrays.fill(chunk, (byte) 'z');
            for (int i = 0; i < 50; i++) {
                c.send(chunk); // a 50 MB line without LF, then hang up
            }
        }
        try (Client c = connect(port).hello()) {
            c.send(("@size=1000 PING\n" + "p".repeat(500)).getBytes(StandardCharsets.US_ASCII));
        }
        garbage(port, 300);
        assertAnswers(port);
    }

    @Test
    @DisplayName("5000 SAYs at once at 50/s burst 100: most RATE_LIMITED, another client's PING answered")
    void flood() throws Exception {
        int port = start("-Xmx128m -Dparley.limits.commands-per-second=50 -Dparley.limits.command-burst=100"
                + " -Dparley.limits.flood-disconnect-after=0");
        Client flooder = register(port, "flooder");
        Client other = register(port, "other");
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            batch.append("SAY #lobby :flood ").append(i).append('\n');
        }
        Thread sender = new Thread(() -> {
            try {
                flooder.send(batch.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        sender.start();
        long worst = 0;
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            other.send(("PING p" + i + "\n").getBytes(StandardCharsets.US_ASCII));
            while (!other.readLine().equals("OK PING p" + i)) {
                // room messages that got through the limit
            }
            worst = Math.max(worst, System.nanoTime() - start);
        }
        int ok = 0;
        int limited = 0;
        while (ok + limited < 5000) {
            String line = flooder.readLine();
            if (line.startsWith("ERR SAY RATE_LIMITED")) {
                limited++;
            } else if (line.startsWith("OK SAY")) {
                ok++;
            }
        }
        sender.join(TIMEOUT.toMillis());
        System.out.printf("[hardening] 5000 SAYs at 50/s burst 100: %d run, %d RATE_LIMITED; "
                + "other client's PING during the flood: worst %.1f ms%n", ok, limited, worst / 1e6);
        assertThat(limited).isGreaterThan(4000);
        assertThat(ok).isGreaterThanOrEqualTo(100);
        assertAnswers(port);
    }

    @Test
    @DisplayName("a member that never reads is cut off while a fast member gets all 20,000 1 kB messages")
    void slowConsumer() throws Exception {
        int port = start("-Xmx128m");
        Client sender = register(port, "sender");
        Client fast = register(port, "fast");
        Client stalled = register(port, "stalled", 4096);
        // The server queues BYE SLOW_CONSUMER behind what the member has not read and closes the connection
        // anyway after a grace of a few seconds, so a member that never reads again cannot see the BYE. This
        // one reads nothing until the server logs that it cut it off, then reads to the end, well within the
        // grace, however long the rest of the run takes (with a durable store, longer than the grace).
        String stalledAddress = "/127.0.0.1:" + stalled.socket.getLocalPort() + ":";
        ExecutorService reader = Executors.newSingleThreadExecutor();
        long[] cutAt = new long[1];
        Future<List<String>> stalledLines = reader.submit(() -> {
            String logged;
            do {
                logged = cutOff.poll(10, TimeUnit.MINUTES);
                assertThat(logged).as("the server's log line that it cut the stalled member off").isNotNull();
            } while (!logged.contains(stalledAddress));
            cutAt[0] = System.nanoTime();
            List<String> read = new ArrayList<>();
            for (String line; (line = stalled.readLineOrNull()) != null; ) {
                read.add(line);
            }
            return read;
        });
        String text = "m".repeat(1000);
        for (int window = 0; window < 20_000; window += 200) {
            StringBuilder batch = new StringBuilder();
            for (int i = window; i < window + 200; i++) {
                batch.append("SAY #lobby :").append(i).append(' ').append(text).append('\n');
            }
            sender.send(batch.toString().getBytes(StandardCharsets.UTF_8));
            for (int i = window; i < window + 200; i++) {
                String line;
                while (!(line = fast.readLine()).contains(" MSG #lobby sender :")) {
                    // JOINED / LEFT / PING events
                }
                assertThat(line).endsWith(" MSG #lobby sender :" + i + " " + text);
            }
            for (int i = 0; i < 200; i++) {
                while (!sender.readLine().startsWith("OK SAY")) {
                    // JOINED events of the others
                }
            }
        }
        long runEnded = System.nanoTime();
        List<String> lines = stalledLines.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        reader.shutdown();
        System.out.printf("[hardening] the stalled member read %d lines before the server cut it off; the run went"
                + " on %d ms after the cut%n", lines.size(), TimeUnit.NANOSECONDS.toMillis(runEnded - cutAt[0]));
        assertThat(lines).isNotEmpty();
        assertThat(lines.get(lines.size() - 1)).startsWith("BYE SLOW_CONSUMER");
        assertAnswers(port);
    }

    // ---- helpers ----

    private int start(String javaOpts) throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        ProcessBuilder builder = new ProcessBuilder(DIST.resolve("bin/parley").toString(), "server", "--port", "0")
                .redirectErrorStream(true).directory(cwd.toFile());
        builder.environment().put("JAVA_OPTS", ParleyProcess.privateStore(cwd) + " " + javaOpts + " -Dparley.http.port=0");
        Process process = builder.start();
        processes.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        for (String logged; (logged = out.readLine()) != null; ) {
                            if (logged.contains("bytes queued that the client does not read")) {
                                cutOff.offer(logged);
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(2));
            }
        }
        throw new AssertionError("the server did not start:\n" + seen);
    }

    private Client connect(int port) throws IOException {
        return connect(port, 0);
    }

    private Client connect(int port, int receiveBuffer) throws IOException {
        Client c = new Client(port, receiveBuffer);
        clients.add(c);
        return c;
    }

    private Client register(int port, String nick) throws IOException {
        return register(port, nick, 0);
    }

    private Client register(int port, String nick, int receiveBuffer) throws IOException {
        Client c = connect(port, receiveBuffer).hello();
        c.send(("NICK " + nick + "\nJOIN #lobby\n").getBytes(StandardCharsets.UTF_8));
        while (!c.readLine().startsWith("OK JOIN")) {
            // OK NICK, and events
        }
        return c;
    }

    /** A new client gets HELLO and HELP: the server is up and answering. */
    private void assertAnswers(int port) throws IOException {
        try (Client c = new Client(port, 0).hello()) {
            c.send("HELP\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = c.readLine()).startsWith("COMMAND ")) {
                // the command list
            }
            assertThat(line).startsWith("OK HELP");
        }
    }

    private static void garbage(int port, int connections) throws Exception {
        byte[][] seeds = {
                "NICK a\nJOIN #r\nSAY #r :hello\n".getBytes(StandardCharsets.UTF_8),
                "@id=1;size=3 UPLOAD a b :c\nxyz".getBytes(StandardCharsets.UTF_8),
                "HELP\nQUIT :bye\n".getBytes(StandardCharsets.UTF_8)};
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> hellos = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Random random = new Random(i);
                byte[] seed = seeds[i % seeds.length];
                hellos.add(pool.submit(() -> {
                    try (Client c = new Client(port, 0)) {
                        String hello = c.readLine();
                        c.send(mutate(seed, random));
                        return hello;
                    }
                }));
            }
            for (Future<String> hello : hellos) {
                assertThat(hello.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).startsWith("HELLO ");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] specials = {0, '\n', '\r', ' ', '@', ';', '=', ':', 27, 127, (byte) 0xC3, (byte) 0xFF, '9'};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int copy = 1 + random.nextInt(4); copy > 0; copy--) {
            for (byte b : seed) {
                int roll = random.nextInt(12);
                if (roll == 0) {
                    continue;
                }
                out.write(roll == 1 ? specials[random.nextInt(specials.length)] : roll == 2 ? random.nextInt(256) : b);
            }
        }
        return out.toByteArray();
    }

    /** A raw-bytes client reading lines, every read bounded by the timeout. */
    private static final class Client implements AutoCloseable {
        final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;

        Client(int port, int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }

        Client hello() throws IOException {
            assertThat(readLine()).startsWith("HELLO ");
            return this;
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        String readLine() throws IOException {
            String line = readLineOrNull();
            assertThat(line).as("a line before the server closed the connection").isNotNull();
            return line;
        }

        String readLineOrNull() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                for (int b = in.read(); b != '\n'; b = in.read()) {
                    if (b < 0) {
                        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                    }
                    line.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no complete line within " + TIMEOUT + "; so far: " + line, e);
            } catch (IOException reset) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            return line.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
