package dev.parley.launcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.auth.password.PasswordHash;
import dev.parley.launcher.ParleyProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #20's acceptance, tried on the packaged distribution as a new user would: a copy of it started with
 * {@code bin/parley server}, stopped with SIGTERM or {@code kill -9}, started again on the same store.
 * Subclasses choose the store ({@link #useStore}).
 */
abstract class StoreAcceptance {
    private static final Path DIST = ParleyProcess.DIST;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern MSG = Pattern.compile("^@msgid=(\\d+);time=(\\S+) MSG #lobby (\\S+) :(.*)$");

    @TempDir
    Path tmp;
    /** A copy of the distribution without a data/ directory: the server's home. */
    Path home;

    private final List<Process> processes = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();

    /** Points the distribution at {@code home} to its store (writes conf/parley.conf, or leaves the default). */
    abstract void useStore(Path home, String extraConf) throws Exception;

    /** Checks what the first start made of the store, once the server listens. */
    void afterFirstStart(Path home) throws Exception {
    }

    @AfterEach
    void stopAll() throws IOException {
        for (Client client : clients) {
            client.close();
        }
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    @DisplayName("500 SAYs, SIGTERM, start again: a new member pages back through all 500 with BEFORE, as sent")
    void restartKeepsHistory() throws Exception {
        home = copyDistribution();
        useStore(home, "");
        Server server = start();
        afterFirstStart(home);
        Client alice = member(server.port, "alice");
        Client bob = member(server.port, "bob");

        StringBuilder says = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            says.append("SAY #lobby :message ").append(i).append(" ✓\n");
        }
        alice.send(says.toString());
        for (int i = 0; i < 500; i++) {
            alice.await(line -> line.equals("OK SAY #lobby"));
        }
        List<String> received = new ArrayList<>();
        while (received.size() < 500) {
            received.add(withoutSeq(bob.await(line -> MSG.matcher(withoutSeq(line)).matches())));
        }
        for (int i = 0; i < 500; i++) {
            assertThat(received.get(i)).endsWith(" MSG #lobby alice :message " + i + " ✓");
        }

        server.process.toHandle().destroy(); // SIGTERM
        assertThat(server.awaitExit()).isZero();

        Server again = start();
        Client carol = member(again.port, "carol");
        List<String> history = pageBack(carol);
        assertThat(history).as("every message, oldest first, with its msgid and time as bob got it (seq aside)")
                .containsExactlyElementsOf(received);
    }

    @Test
    @DisplayName("2,000 pipelined SAYs, kill -9 in the middle: every acknowledged one is in HISTORY; msgids continue")
    void killNineKeepsAcknowledged() throws Exception {
        home = copyDistribution();
        useStore(home, "");
        Server server = start();
        Client alice = member(server.port, "alice");
        Client bob = member(server.port, "bob");

        StringBuilder says = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            says.append("SAY #lobby :k").append(i).append('\n');
        }
        alice.send(says.toString());
        int acknowledged = 0;
        while (acknowledged < 1000) {
            alice.await(line -> line.equals("OK SAY #lobby"));
            acknowledged++;
        }
        server.process.destroyForcibly(); // SIGKILL: bin/parley execs the JVM
        server.process.waitFor();
        // Replies the server sent before it died still count: they were acknowledgements.
        for (String line; (line = alice.readLineOrNull()) != null; ) {
            if (line.equals("OK SAY #lobby")) {
                acknowledged++;
            }
        }
        Map<Long, String> seen = new LinkedHashMap<>();
        for (String line; (line = bob.readLineOrNull()) != null; ) {
            Matcher m = MSG.matcher(withoutSeq(line));
            if (m.matches()) {
                seen.put(Long.parseLong(m.group(1)), m.group(4));
            }
        }
        System.out.printf("[store acceptance] kill -9 after %d of 2000 OK SAY; a member had seen %d messages%n",
                acknowledged, seen.size());

        Server again = start();
        Client carol = member(again.port, "carol");
        Map<Long, String> kept = new LinkedHashMap<>();
        for (String line : pageBack(carol)) {
            Matcher m = MSG.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            kept.put(Long.parseLong(m.group(1)), m.group(4));
        }
        List<String> keptTexts = List.copyOf(kept.values());
        assertThat(keptTexts.size()).as("kept at least every acknowledged message").isGreaterThanOrEqualTo(acknowledged);
        for (int i = 0; i < keptTexts.size(); i++) {
            // Replies come in command order, so the acknowledged ones are the first SAYs, kept in that order.
            assertThat(keptTexts.get(i)).isEqualTo("k" + i);
        }
        assertThat(kept).as("every msgid a member saw, with its text").containsAllEntriesOf(seen);
        long last = kept.keySet().stream().mapToLong(Long::longValue).max().orElse(0);

        Client dave = member(again.port, "dave");
        dave.send("SAY #lobby :after the crash");
        dave.await(line -> line.equals("OK SAY #lobby"));
        Matcher next = MSG.matcher(withoutSeq(carol.await(line -> MSG.matcher(withoutSeq(line)).matches())));
        assertThat(next.matches()).isTrue();
        assertThat(next.group(4)).isEqualTo("after the crash");
        assertThat(Long.parseLong(next.group(1))).as("a new msgid, after every kept or seen one")
                .isGreaterThan(last)
                .isGreaterThan(seen.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
    }

    @Test
    @DisplayName("an offline TELL from an account arrives as a WHISPER when that account next logs in, after a restart")
    void offlineTell() throws Exception {
        home = copyDistribution();
        String alice = PasswordHash.create("pw of alice".toCharArray()).toString();
        String bob = PasswordHash.create("pw of bob".toCharArray()).toString();
        useStore(home, "parley.plugins = [chat, heartbeat, auth]\n"
                + "parley.auth { failure-delay = 0s, users { alice = \"" + alice + "\", bob = \"" + bob + "\" } }\n");
        Server server = start();

        Client guest = connect(server.port);
        guest.send("NICK visitor");
        guest.await(line -> line.startsWith("OK NICK visitor"));
        guest.send("TELL bob :from a guest");
        assertThat(guest.await(line -> line.contains(" TELL "))).startsWith("ERR TELL NO_SUCH_NICK");

        Client sender = login(server.port, "alice", "pw of alice");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        sender.send("TELL bob :first while you were away");
        assertThat(sender.await(line -> line.contains(" TELL "))).isEqualTo("OK TELL bob :stored");
        sender.send("TELL bob :second");
        assertThat(sender.await(line -> line.contains(" TELL "))).isEqualTo("OK TELL bob :stored");
        Instant after = Instant.now();

        server.process.toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
        Server again = start();

        Client owner = login(again.port, "bob", "pw of bob");
        Pattern whisper = Pattern.compile("^@msgid=(\\d+);time=(\\S+) WHISPER alice :(.*)$");
        // They may come before OK NICK: the session has its nick and its account from then on.
        Matcher first = whisper.matcher(withoutSeq(owner.await(line -> line.contains(" WHISPER "))));
        Matcher second = whisper.matcher(withoutSeq(owner.await(line -> line.contains(" WHISPER "))));
        assertThat(first.matches()).as("tagged WHISPER").isTrue();
        assertThat(second.matches()).as("tagged WHISPER").isTrue();
        assertThat(first.group(3)).isEqualTo("first while you were away");
        assertThat(second.group(3)).isEqualTo("second");
        assertThat(Long.parseLong(second.group(1))).isGreaterThan(Long.parseLong(first.group(1)));
        assertThat(Instant.parse(first.group(2))).as("when it was sent").isBetween(before, after);

        // Delivered once: the next login finds nothing waiting.
        Client later = login(again.port, "bob", "pw of bob", "bob2");
        later.send("PING done");
        later.await(line -> line.equals("OK PING done"));
        assertThat(later.passed).noneMatch(line -> line.contains("WHISPER"));
    }

    // ---- helpers ----

    /**
     * An event as HISTORY gives it: without the session's own {@code seq} (resumption's numbering of what this
     * session was sent), which is no part of the message.
     */
    private static String withoutSeq(String line) {
        return line.replaceFirst("^@seq=\\d+;", "@");
    }

    /** Every message of #lobby, oldest first: BEFORE a time past the last one, then BEFORE each page's oldest. */
    private static List<String> pageBack(Client client) throws IOException {
        String ref = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> all = new ArrayList<>();
        while (true) {
            client.send("HISTORY #lobby BEFORE " + ref + " 100");
            List<String> page = new ArrayList<>();
            String line;
            while (!(line = client.readLine()).startsWith("OK HISTORY #lobby ")) {
                assertThat(line).as("a data line of HISTORY").startsWith("@msgid=");
                page.add(line);
            }
            assertThat(line).isEqualTo("OK HISTORY #lobby " + page.size());
            assertThat(page.size()).isLessThanOrEqualTo(100);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(0, page);
            Matcher oldest = MSG.matcher(page.get(0));
            assertThat(oldest.matches()).as(page.get(0)).isTrue();
            ref = oldest.group(1);
        }
    }

    private Client member(int port, String nick) throws IOException {
        Client client = connect(port);
        client.send("NICK " + nick + "\nJOIN #lobby");
        client.await(line -> line.equals("OK JOIN #lobby"));
        return client;
    }

    private Client login(int port, String account, String password) throws IOException {
        return login(port, account, password, account);
    }

    private Client login(int port, String account, String password, String nick) throws IOException {
        Client client = connect(port);
        client.send("AUTH " + account + " :" + password);
        assertThat(client.await(line -> line.startsWith("OK AUTH") || line.startsWith("ERR AUTH")))
                .isEqualTo("OK AUTH " + account);
        client.send("NICK " + nick);
        client.await(line -> line.startsWith("OK NICK " + nick + " "));
        return client;
    }

    private Client connect(int port) throws IOException {
        Client client = new Client(new Socket("127.0.0.1", port));
        clients.add(client);
        assertThat(client.readLine()).startsWith("HELLO ");
        return client;
    }

    private Path copyDistribution() throws IOException {
        Path copy = tmp.resolve("parley");
        try (Stream<Path> files = Files.walk(DIST)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = DIST.relativize(source);
                if (relative.startsWith("data")) {
                    continue; // what other tests of this distribution stored
                }
                Path target = copy.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    Server start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/parley").toString(), "server", "--port", "0")
                .redirectErrorStream(true).directory(Files.createDirectories(tmp.resolve("cwd")).toFile());
        // The store is the distribution's default; only the HTTP port is free, so that servers of other tests
        // (and a second start of this one, while the first's socket lingers) do not collide on 7879.
        builder.environment().put("JAVA_OPTS", "-Dparley.http.port=0");
        Process process = builder.start();
        processes.add(process);
        ParleyProcess parley = new ParleyProcess(process);
        return new Server(parley, process, parley.awaitPort());
    }

    record Server(ParleyProcess parley, Process process, int port) {
        int awaitExit() throws InterruptedException {
            return parley.awaitExit();
        }
    }

    /** A line-oriented client on a plain socket. */
    static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        /** Lines {@link #await} read past. */
        final List<String> passed = new ArrayList<>();

        Client(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String lines) throws IOException {
            socket.getOutputStream().write((lines + (lines.endsWith("\n") ? "" : "\n"))
                    .getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        String readLine() throws IOException {
            String line = in.readLine();
            assertThat(line).as("a line before the server closed the connection").isNotNull();
            return line;
        }

        /** The next line, or null once the connection ended (closed or reset). */
        String readLineOrNull() {
            try {
                return in.readLine();
            } catch (IOException ended) {
                return null;
            }
        }

        /**
         * The first line, in the order they came, that matches and was not taken yet: lines passed over are
         * kept for later calls, as an event may come before or after the reply awaited first.
         */
        String await(java.util.function.Predicate<String> wanted) throws IOException {
            for (Iterator<String> it = passed.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (wanted.test(line)) {
                    it.remove();
                    return line;
                }
            }
            String line;
            while (!wanted.test(line = readLine())) {
                assertThat(line).as("no error while waiting").doesNotStartWith("ERR ");
                passed.add(line);
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
