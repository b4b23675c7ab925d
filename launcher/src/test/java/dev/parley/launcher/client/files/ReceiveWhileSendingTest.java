package dev.parley.launcher.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.launcher.client.CommandRun;
import dev.parley.launcher.client.RawClient;
import dev.parley.launcher.client.TestServer;
import dev.parley.testkit.LineClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley receive} follows an upload while it arrives (cut-through): a sender on a raw socket uploads half
 * a file and stops; the receiver's temporary file must already hold that half. Without cut-through the
 * download would start only after the last chunk, and these tests would time out.
 */
class ReceiveWhileSendingTest {
    private static final int SIZE = 2 * 1024 * 1024;
    private static final int HALF = SIZE / 2;
    private static final int PIECE = 512 * 1024;

    @TempDir
    Path tmp;
    private TestServer server;
    private Path inbox;

    @BeforeEach
    void startServer() throws IOException {
        server = TestServer.start(tmp.resolve("spool"));
        inbox = tmp.resolve("in");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    @DisplayName("receive writes the first half while the sender has not sent the second; the verified file arrives")
    void receivesWhileTheSenderUploads() throws Exception {
        byte[] content = random(SIZE, 1);
        CommandRun receive = receive("--count", "1");
        try (LineClient alice = sender()) {
            String id = offer(alice, sha256(content));
            upload(alice, id, content, 0, HALF);
            awaitPartial(HALF);
            assertThat(receive.out()).as("nothing is announced as received before the upload completes").isEmpty();

            upload(alice, id, content, HALF, SIZE);
            assertThat(receive.exitCode()).as(receive::err).isZero();
        }
        assertThat(receive.out()).contains("received big.bin (2.0 MiB) from alice as " + inbox.resolve("big.bin"));
        assertThat(Files.readAllBytes(inbox.resolve("big.bin"))).isEqualTo(content);
        assertThat(partials()).isEmpty();
    }

    @Test
    @DisplayName("an upload that fails its checksum after receive started: the partial file is deleted, --count does not count it")
    void checksumFailureDeletesThePartialFile() throws Exception {
        byte[] content = random(SIZE, 2);
        CommandRun receive = receive("--count", "1");
        try (LineClient alice = sender()) {
            String id = offer(alice, sha256(random(SIZE, 3)));
            upload(alice, id, content, 0, HALF);
            awaitPartial(HALF);

            assertThat(send(alice, id, content, HALF, HALF + PIECE)).startsWith("OK CHUNK");
            assertThat(send(alice, id, content, HALF + PIECE, SIZE)).startsWith("ERR CHUNK CHECKSUM_MISMATCH");
            assertThat(receive.awaitErr(l -> l.contains("CHECKSUM_MISMATCH")))
                    .startsWith("parley: cannot receive big.bin from alice: ");
            await("the partial file is deleted", () -> partials().isEmpty());
            assertThat(inbox.resolve("big.bin")).doesNotExist();
        }
        // Still waiting for its one verified file: this one.
        Path good = Files.write(tmp.resolve("good.bin"), random(1000, 4));
        CommandRun send = CommandRun.start("send", "--port", port(), "--nick", "carol", "--to", "bob", good.toString());
        assertThat(send.exitCode()).as(send::err).isZero();
        assertThat(receive.exitCode()).as(receive::err).isZero();
        assertThat(Files.mismatch(good, inbox.resolve("good.bin"))).isEqualTo(-1L);
    }

    @Test
    @DisplayName("checksum at the end: receive follows an upload offered with -, keeps it only after the sender's SEAL matched")
    void receivesAnUploadSealedAtTheEnd() throws Exception {
        byte[] content = random(SIZE, 5);
        CommandRun receive = receive("--count", "1");
        try (LineClient alice = sender()) {
            String id = offer(alice, "-");
            upload(alice, id, content, 0, SIZE);
            awaitPartial(SIZE);
            Thread.sleep(300);
            assertThat(receive.out()).as("every byte is there, but nothing is verified before SEAL").isEmpty();
            assertThat(inbox.resolve("big.bin")).doesNotExist();

            assertThat(alice.send("SEAL " + id + " " + sha256(content)).reply()).isEqualTo("OK SEAL " + id + " " + SIZE);
            assertThat(receive.exitCode()).as(receive::err).isZero();
        }
        assertThat(Files.readAllBytes(inbox.resolve("big.bin"))).isEqualTo(content);
        assertThat(partials()).isEmpty();
    }

    @Test
    @DisplayName("checksum at the end: a SEAL that does not match after receive started deletes the partial file")
    void sealMismatchDeletesThePartialFile() throws Exception {
        byte[] content = random(SIZE, 6);
        CommandRun receive = receive("--count", "1");
        try (LineClient alice = sender()) {
            String id = offer(alice, "-");
            upload(alice, id, content, 0, SIZE);
            awaitPartial(SIZE);
            assertThat(alice.send("SEAL " + id + " " + sha256(random(SIZE, 7))).reply())
                    .startsWith("ERR SEAL CHECKSUM_MISMATCH");
            assertThat(receive.awaitErr(l -> l.contains("CHECKSUM_MISMATCH")))
                    .startsWith("parley: cannot receive big.bin from alice: ");
            await("the partial file is deleted", () -> partials().isEmpty());
            assertThat(inbox.resolve("big.bin")).doesNotExist();
        }
        // parley send (which offers with - and seals) delivers the one verified file receive waits for.
        Path good = Files.write(tmp.resolve("good.bin"), random(3 * 1024 * 1024 + 17, 8));
        CommandRun send = CommandRun.start("send", "--port", port(), "--nick", "carol", "--to", "bob", good.toString());
        assertThat(send.exitCode()).as(send::err).isZero();
        assertThat(receive.exitCode()).as(receive::err).isZero();
        assertThat(Files.mismatch(good, inbox.resolve("good.bin"))).isEqualTo(-1L);
    }

    private String port() {
        return Integer.toString(server.port());
    }

    private CommandRun receive(String... options) throws Exception {
        String[] args = Stream.concat(Stream.of("receive", "--port", port(), "--nick", "bob", "--dir",
                inbox.toString()), Stream.of(options)).toArray(String[]::new);
        CommandRun receive = CommandRun.start(args);
        try (RawClient probe = new RawClient(server.port())) {
            probe.send("NICK probe");
            probe.await(line -> line.startsWith("OK NICK"));
            do {
                probe.send("TELL bob :are you there");
            } while (!probe.await(line -> line.startsWith("OK TELL") || line.startsWith("ERR TELL")).startsWith("OK"));
        }
        return receive;
    }

    private LineClient sender() throws IOException {
        LineClient alice = LineClient.connect(new InetSocketAddress("127.0.0.1", server.port()));
        assertThat(alice.send("NICK alice").reply()).startsWith("OK NICK alice");
        return alice;
    }

    private static String offer(LineClient alice, String sha256) {
        Frame reply = alice.send(Frame.of("OFFER").params("bob", "big.bin", Integer.toString(SIZE), sha256).build())
                .replyFrame();
        assertThat(reply.toString()).startsWith("OK OFFER");
        return reply.param(1);
    }

    private static void upload(LineClient alice, String id, byte[] content, int from, int to) {
        for (int at = from; at < to; at += PIECE) {
            assertThat(send(alice, id, content, at, Math.min(to, at + PIECE))).startsWith("OK CHUNK");
        }
    }

    private static String send(LineClient alice, String id, byte[] content, int from, int to) {
        return alice.send(Frame.of("CHUNK").params(id, Integer.toString(from))
                .payload(Arrays.copyOfRange(content, from, to)).build()).reply();
    }

    /** The receiver's temporary files in the inbox. */
    private List<Path> partials() throws IOException {
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    private void awaitPartial(long bytes) throws Exception {
        await("a temporary file of " + bytes + " bytes", () -> {
            for (Path p : partials()) {
                if (Files.size(p) >= bytes) {
                    return true;
                }
            }
            return false;
        });
    }

    private interface Check {
        boolean holds() throws IOException;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 10 s for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
