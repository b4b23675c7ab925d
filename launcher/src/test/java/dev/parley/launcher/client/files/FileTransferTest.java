package dev.parley.launcher.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.launcher.client.CommandRun;
import dev.parley.launcher.client.RawClient;
import dev.parley.launcher.client.TcpProxy;
import dev.parley.launcher.client.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley send} and {@code parley receive} against a real server in-process. */
class FileTransferTest {
    @TempDir
    Path tmp;

    private TestServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = TestServer.start(tmp.resolve("spool"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String port() {
        return Integer.toString(server.port());
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = tmp.resolve("out").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    @Test
    @DisplayName("a 5 MB file arrives intact; a file of that name already there is kept")
    void movesAFileIntact() throws Exception {
        Path file = randomFile("big data.bin", 5 * 1024 * 1024 + 17);
        Path inbox = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(inbox.resolve("big_data.bin"), "already here");

        CommandRun receive = CommandRun.start("receive", "--port", port(), "--nick", "bob", "--dir",
                inbox.toString(), "--count", "1");
        awaitOnline("bob", true);
        CommandRun send = CommandRun.start("send", "--port", port(), "--nick", "alice", "--to", "bob",
                file.toString());

        assertThat(send.exitCode()).as(send::err).isZero();
        assertThat(send.out()).startsWith("sent big_data.bin (5.0 MiB) to bob as ");
        assertThat(receive.exitCode()).as(receive::err).isZero();
        Path saved = inbox.resolve("big_data (1).bin");
        assertThat(receive.out()).contains("received big_data.bin (5.0 MiB) from alice as " + saved);
        assertThat(Files.mismatch(file, saved)).isEqualTo(-1L);
        assertThat(inbox.resolve("big_data.bin")).hasContent("already here");
        try (Stream<Path> files = Files.list(inbox)) {
            assertThat(files.filter(f -> !f.getFileName().toString().equals(".parley-received")))
                    .as("no temporary file left").hasSize(2);
        }
    }

    @Test
    @DisplayName("receive takes files offered while it was offline, only from --from, and exits after --count")
    void pendingFiles() throws Exception {
        Path one = randomFile("one.txt", 1000);
        Path two = randomFile("two.txt", 2000);
        // bob (a guest: what is offered to him is his session's) waits for a file from alice; carol's is not it.
        Path inbox = tmp.resolve("in");
        CommandRun receive = CommandRun.start("receive", "--port", port(), "--nick", "bob", "--dir",
                inbox.toString(), "--count", "1", "--from", "ALICE");
        awaitOnline("bob", true);
        assertThat(CommandRun.start("send", "--port", port(), "--nick", "carol", "--to", "bob", one.toString())
                .exitCode()).isZero();
        assertThat(CommandRun.start("send", "--port", port(), "--nick", "alice", "--to", "bob", two.toString())
                .exitCode()).isZero();
        assertThat(receive.exitCode()).as(receive::err).isZero();
        assertThat(Files.mismatch(two, inbox.resolve("two.txt"))).isEqualTo(-1L);
        assertThat(inbox.resolve("one.txt")).doesNotExist();
    }

    @Test
    @DisplayName("an offer the server refuses is one line on stderr and exit 1; the other files still go")
    void refused() throws Exception {
        Path file = randomFile("f.txt", 10);
        Path empty = Files.createFile(tmp.resolve("out").resolve("empty.txt"));
        CommandRun send = CommandRun.start("send", "--port", port(), "--nick", "alice", "--to", "nobody",
                empty.toString(), file.toString());
        assertThat(send.exitCode()).isEqualTo(1);
        assertThat(send.err().lines()).containsExactly(
                "parley: cannot send " + empty + ": " + empty + " is empty; the server takes files of 1 byte or more",
                "parley: cannot send " + file + ": " + send.err().lines().skip(1).findFirst().orElseThrow()
                        .substring(("parley: cannot send " + file + ": ").length()));
        assertThat(send.err()).contains("(NO_SUCH_NICK)");
    }

    @Nested
    @DisplayName("a connection cut mid-transfer")
    class CutMidway {
        private static final String[] QUICK = {"--reconnect-initial", "0.05", "--reconnect-max", "0.2"};

        @Test
        @DisplayName("send reconnects, offers again and uploads from the server's offset: the file arrives intact")
        void uploadGoesOn() throws Exception {
            Path file = randomFile("cut-up.bin", 3 * 1024 * 1024 + 5);
            Path inbox = Files.createDirectories(tmp.resolve("in"));
            try (TcpProxy proxy = new TcpProxy(server.port())) {
                CommandRun receive = CommandRun.start("receive", "--port", port(), "--nick", "bob", "--dir",
                        inbox.toString(), "--count", "1");
                awaitOnline("bob", true);
                proxy.cutAfter(1024 * 1024 + 333, true); // in the middle of the fifth chunk's payload
                CommandRun send = CommandRun.start(with(QUICK, "send", "--port", Integer.toString(proxy.port()),
                        "--nick", "alice", "--to", "bob", file.toString()));

                assertThat(send.exitCode()).as(send::err).isZero();
                assertThat(send.err()).contains("reconnecting in");
                assertThat(send.out()).startsWith("sent cut-up.bin (3.0 MiB) to bob as ");
                assertThat(receive.exitCode()).as(receive::err).isZero();
                assertThat(Files.mismatch(file, inbox.resolve("cut-up.bin"))).isEqualTo(-1L);
            }
        }

        @Test
        @DisplayName("receive reconnects and fetches from the bytes it has: the file is intact, no temporary file left")
        void downloadGoesOn() throws Exception {
            Path file = randomFile("cut-down.bin", 3 * 1024 * 1024 + 7);
            Path inbox = Files.createDirectories(tmp.resolve("in"));
            try (TcpProxy proxy = new TcpProxy(server.port())) {
                proxy.cutAfter(1024 * 1024 + 777, false);
                // bob's receive resumes its session after the cut: the file is that session's.
                CommandRun receive = CommandRun.start(with(QUICK, "receive", "--port",
                        Integer.toString(proxy.port()), "--nick", "bob", "--dir", inbox.toString(), "--count", "1"));
                awaitOnline("bob", true);
                assertThat(CommandRun.start("send", "--port", port(), "--nick", "alice", "--to", "bob",
                        file.toString()).exitCode()).isZero();
                assertThat(receive.exitCode()).as(receive::err).isZero();
                assertThat(receive.err()).contains("reconnecting in");
                assertThat(Files.mismatch(file, inbox.resolve("cut-down.bin"))).isEqualTo(-1L);
                try (Stream<Path> files = Files.list(inbox)) {
                    assertThat(files.filter(f -> !f.getFileName().toString().equals(".parley-received")))
                            .as("no temporary file left").hasSize(1);
                }
            }
        }

        private String[] with(String[] options, String... args) {
            String[] all = java.util.Arrays.copyOf(args, args.length + options.length);
            System.arraycopy(options, 0, all, args.length, options.length);
            return all;
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();

    /** Waits until a nick is registered (or free), by asking the server, instead of sleeping. */
    private void awaitOnline(String nick, boolean online) throws IOException {
        try (RawClient probe = new RawClient(server.port())) {
            probe.send("NICK probe" + probes.incrementAndGet()); // the last probe's nick may not be free yet
            probe.await(line -> line.startsWith("OK NICK"));
            while (true) {
                probe.send("TELL " + nick + " :are you there");
                if (probe.await(line -> line.startsWith("OK TELL") || line.startsWith("ERR TELL"))
                        .startsWith("OK") == online) {
                    return;
                }
            }
        }
    }
}
