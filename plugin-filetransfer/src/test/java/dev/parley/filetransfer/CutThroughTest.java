package dev.parley.filetransfer;

import static dev.parley.filetransfer.harness.FileTransferHarness.randomBytes;
import static dev.parley.filetransfer.harness.FileTransferHarness.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.Frame;
import dev.parley.testkit.EmbeddedServer;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cut-through over real sockets with the real chat and heartbeat plugins: an online recipient hears of an
 * upload at its OFFER ({@code OFFERED}) and FETCHes it while it arrives, receiving the bytes as they land;
 * the stream ends with the upload's verdict.
 */
@DisplayName("A recipient follows an upload while it arrives (cut-through)")
class CutThroughTest {
    private static final int SIZE = 1_000_000;
    private static final int HALF = 400_000;
    private static final Duration WAITING_EVERY = Duration.ofMillis(200);

    @TempDir
    Path temp;
    EmbeddedServer server;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedServer.start(ConfigFactory.parseMap(Map.of(
                        "parley.filetransfer.spool-dir", temp.resolve("spool").toString(),
                        "parley.filetransfer.fetch-waiting-interval", WAITING_EVERY.toMillis() + " ms",
                        "parley.heartbeat.interval", "300 ms",
                        "parley.heartbeat.timeout", "1200 ms")),
                ParleyTestKit.findPlugin("chat"), ParleyTestKit.findPlugin("heartbeat"), new FileTransferPlugin());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** What a following FETCH delivered so far: bytes in order, WAITING lines, other events, the final reply. */
    private static final class Follower {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Frame> waiting = new ArrayList<>();
        final List<Frame> events = new ArrayList<>();
        Frame reply;
        int pongs;
        int pongsAnswered;

        /** Reads the answers to the PONGs sent so far, so that the next command's reply is the next line. */
        Follower drainPongs(LineClient client) {
            while (pongsAnswered < pongs) {
                readOne(client);
            }
            return this;
        }

        /** Reads until {@code until} bytes arrived or the FETCH's final reply came, answering PINGs. */
        Follower readUntil(LineClient client, long until) {
            while (reply == null && bytes.size() < until) {
                readOne(client);
            }
            return this;
        }

        /** Reads the next line, whatever it is. */
        void readOne(LineClient client) {
                Frame f = client.nextFrame();
                switch (f.verb()) {
                    case "CHUNK" -> {
                        assertThat(Long.parseLong(f.param(1))).as("chunks are contiguous").isEqualTo(bytes.size());
                        bytes.writeBytes(f.payload());
                    }
                    case "WAITING" -> waiting.add(f);
                    case "PING" -> {
                        client.send("PONG " + f.param(0));
                        pongs++;
                    }
                    case "OK", "ERR" -> {
                        if ("FETCH".equals(f.param(0))) {
                            reply = f;
                        } else if ("PONG".equals(f.param(0))) {
                            pongsAnswered++;
                        }
                    }
                    default -> events.add(f);
                }
        }
    }

    /** The line without its tags ({@code @seq=3 FILE ...} as {@code FILE ...}). */
    private static String untagged(String line) {
        return line.startsWith("@") ? line.substring(line.indexOf(' ') + 1) : line;
    }

    private LineClient guest(String nick) throws Exception {
        LineClient client = server.connect();
        assertThat(client.send("NICK " + nick).reply()).startsWith("OK NICK " + nick);
        return client;
    }

    private static String offer(LineClient from, String to, int size, String sha256) {
        Frame reply = from.send(Frame.of("OFFER").params(to, "big.bin", Integer.toString(size), sha256).build())
                .replyFrame();
        assertThat(reply.toString()).startsWith("OK OFFER");
        return reply.param(1);
    }

    private static String chunk(LineClient from, String id, byte[] content, int start, int end) {
        return from.send(Frame.of("CHUNK").params(id, Integer.toString(start))
                .payload(Arrays.copyOfRange(content, start, end)).build()).reply();
    }

    @Test
    @DisplayName("OFFERED at OFFER; the bytes of the first chunk arrive before the rest is sent; OK FETCH and FILE once at the end")
    void followsToTheEnd() throws Exception {
        byte[] content = randomBytes(SIZE, 1);
        try (LineClient alice = guest("alice"); LineClient bob = guest("bob")) {
            String id = offer(alice, "bob", SIZE, sha256(content));
            assertThat(untagged(bob.event())).isEqualTo("OFFERED " + id + " alice " + SIZE + " " + sha256(content) + " :big.bin");
            bob.send("FETCH " + id);
            assertThat(chunk(alice, id, content, 0, HALF)).isEqualTo("OK CHUNK " + id + " " + HALF);

            Follower follower = new Follower().readUntil(bob, HALF);
            assertThat(follower.reply).as("no final reply while the upload runs").isNull();
            assertThat(follower.bytes.size()).isEqualTo(HALF);

            assertThat(chunk(alice, id, content, HALF, SIZE)).isEqualTo("OK CHUNK " + id + " " + SIZE);
            follower.readUntil(bob, Long.MAX_VALUE);
            assertThat(follower.reply.toString()).isEqualTo("OK FETCH " + id + " " + SIZE + " " + sha256(content));
            assertThat(sha256(follower.bytes.toByteArray())).isEqualTo(sha256(content));

            List<String> files = new ArrayList<>(follower.events.stream().map(Frame::toString).toList());
            files.addAll(bob.pendingAfter(Duration.ofMillis(300)));
            assertThat(files.stream().map(CutThroughTest::untagged).filter(l -> l.startsWith("FILE ")))
                    .as("FILE keeps its meaning: once, when complete and verified")
                    .containsExactly("FILE " + id + " alice " + SIZE + " " + sha256(content) + " :big.bin");
        }
    }

    @Test
    @DisplayName("an upload failing its checksum after the recipient started: ERR FETCH CHECKSUM_MISMATCH ends its stream, no FILE")
    void checksumFailsAfterTheRecipientStarted() throws Exception {
        byte[] content = randomBytes(SIZE, 2);
        String claimed = sha256(randomBytes(SIZE, 3));
        try (LineClient alice = guest("alice"); LineClient bob = guest("bob")) {
            String id = offer(alice, "bob", SIZE, claimed);
            assertThat(untagged(bob.event())).startsWith("OFFERED " + id);
            bob.send("FETCH " + id);
            chunk(alice, id, content, 0, HALF);
            Follower follower = new Follower().readUntil(bob, HALF);
            assertThat(follower.bytes.size()).isEqualTo(HALF);

            assertThat(chunk(alice, id, content, HALF, SIZE)).startsWith("ERR CHUNK CHECKSUM_MISMATCH");
            follower.readUntil(bob, Long.MAX_VALUE);
            assertThat(follower.reply.toString()).startsWith("ERR FETCH CHECKSUM_MISMATCH");
            assertThat(follower.reply.toString()).contains("delete what you received");
            follower.drainPongs(bob); // a heartbeat PING answered late would otherwise come before the reply
            assertThat(bob.pendingAfter(Duration.ofMillis(300))).noneMatch(l -> untagged(l).startsWith("FILE "));
            assertThat(bob.send("FETCH " + id).reply()).startsWith("ERR FETCH NO_SUCH_FILE");
        }
    }

    @Test
    @DisplayName("the sender's connection drops mid-way: the recipient waits (WAITING), the sender resumes, the file completes")
    void senderDropsAndResumes() throws Exception {
        byte[] content = randomBytes(SIZE, 4);
        try (LineClient bob = guest("bob")) {
            LineClient alice = server.connect();
            String token = alice.send("NICK alice").replyFrame().param(2);
            String id = offer(alice, "bob", SIZE, sha256(content));
            assertThat(untagged(bob.event())).startsWith("OFFERED " + id);
            bob.send("FETCH " + id);
            chunk(alice, id, content, 0, HALF);
            Follower follower = new Follower().readUntil(bob, HALF);
            alice.close(); // gone without QUIT

            // Nothing arrives for a while, but the stream says it is alive.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (follower.waiting.size() < 3 && System.nanoTime() < deadline) {
                follower.readOne(bob);
            }
            assertThat(follower.waiting).hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(w -> assertThat(w.toString()).isEqualTo("WAITING " + id + " " + HALF));

            try (LineClient again = server.connect()) {
                assertThat(again.send("RESUME " + token).reply()).startsWith("OK RESUME alice");
                assertThat(again.send(Frame.of("OFFER").params("bob", "big.bin", Integer.toString(SIZE),
                        sha256(content)).build()).reply()).isEqualTo("OK OFFER " + id + " " + HALF);
                assertThat(chunk(again, id, content, HALF, SIZE)).isEqualTo("OK CHUNK " + id + " " + SIZE);
            }
            follower.readUntil(bob, Long.MAX_VALUE);
            assertThat(follower.reply.toString()).isEqualTo("OK FETCH " + id + " " + SIZE + " " + sha256(content));
            assertThat(sha256(follower.bytes.toByteArray())).isEqualTo(sha256(content));
        }
    }

    @Test
    @DisplayName("a FETCH waiting for bytes does not starve the heartbeat: PINGs still come, PONGs keep the session")
    void heartbeatNotStarved() throws Exception {
        byte[] content = randomBytes(SIZE, 5);
        try (LineClient alice = guest("alice"); LineClient bob = guest("bob")) {
            String id = offer(alice, "bob", SIZE, sha256(content));
            assertThat(untagged(bob.event())).startsWith("OFFERED " + id);
            bob.send("FETCH " + id);
            chunk(alice, id, content, 0, HALF);
            Follower follower = new Follower().readUntil(bob, HALF);

            // Three heartbeat timeouts (1.2 s) without a byte from the sender. Alice keeps her own session
            // alive with PING commands; bob only answers the server's PINGs, while his FETCH holds back his
            // commands (the PONGs among them).
            long until = System.nanoTime() + Duration.ofMillis(3600).toNanos();
            while (System.nanoTime() < until) {
                assertThat(alice.send("PING k").reply()).isEqualTo("OK PING k");
                follower.readOne(bob);
            }
            assertThat(bob.isClosed()).isFalse();
            assertThat(follower.pongs).as("the server pinged the waiting session").isGreaterThanOrEqualTo(2);
            assertThat(follower.waiting).hasSizeGreaterThanOrEqualTo(10);

            assertThat(chunk(alice, id, content, HALF, SIZE)).isEqualTo("OK CHUNK " + id + " " + SIZE);
            follower.readUntil(bob, Long.MAX_VALUE);
            assertThat(follower.reply.toString()).startsWith("OK FETCH " + id + " " + SIZE);
            assertThat(sha256(follower.bytes.toByteArray())).isEqualTo(sha256(content));
            // The PONGs were held behind the FETCH and run now: one OK PONG each.
            for (int i = 0; i < follower.pongs; i++) {
                assertThat(bob.reply()).isEqualTo("OK PONG");
            }
        }
    }

    // ---- the checksum at the end: OFFER with -, SEAL after the last chunk ----

    private static String seal(LineClient from, String id, String sha256) {
        return from.send("SEAL " + id + " " + sha256).reply();
    }

    @Test
    @DisplayName("checksum at the end: OFFERED carries -, the follower gets every byte, then OK FETCH with the sealed SHA-256 only after SEAL")
    void followsAnUploadSealedAtTheEnd() throws Exception {
        byte[] content = randomBytes(SIZE, 6);
        try (LineClient alice = guest("alice"); LineClient bob = guest("bob")) {
            String id = offer(alice, "bob", SIZE, "-");
            assertThat(untagged(bob.event())).isEqualTo("OFFERED " + id + " alice " + SIZE + " - :big.bin");
            bob.send("FETCH " + id);
            assertThat(chunk(alice, id, content, 0, HALF)).isEqualTo("OK CHUNK " + id + " " + HALF);
            assertThat(seal(alice, id, sha256(content))).as("SEAL before the last byte")
                    .startsWith("ERR SEAL INCOMPLETE").contains(HALF + " of " + SIZE);
            Follower follower = new Follower().readUntil(bob, HALF);
            assertThat(chunk(alice, id, content, HALF, SIZE)).isEqualTo("OK CHUNK " + id + " " + SIZE);
            follower.readUntil(bob, SIZE);
            assertThat(follower.bytes.size()).isEqualTo(SIZE);

            // Every byte is there, but nothing is complete before the checksum came and matched.
            List<String> meanwhile = bob.pendingAfter(Duration.ofMillis(300));
            assertThat(meanwhile).noneMatch(l -> untagged(l).startsWith("OK FETCH") || untagged(l).startsWith("FILE "));
            assertThat(bob.isClosed()).isFalse();

            assertThat(seal(alice, id, sha256(content))).isEqualTo("OK SEAL " + id + " " + SIZE);
            follower.readUntil(bob, Long.MAX_VALUE);
            assertThat(follower.reply.toString()).isEqualTo("OK FETCH " + id + " " + SIZE + " " + sha256(content));
            assertThat(sha256(follower.bytes.toByteArray())).isEqualTo(sha256(content));
            List<String> files = new ArrayList<>(follower.events.stream().map(Frame::toString).toList());
            files.addAll(bob.pendingAfter(Duration.ofMillis(300)));
            assertThat(files.stream().map(CutThroughTest::untagged).filter(l -> l.startsWith("FILE ")))
                    .containsExactly("FILE " + id + " alice " + SIZE + " " + sha256(content) + " :big.bin");
            assertThat(seal(alice, id, sha256(content))).as("a repeated SEAL changes nothing")
                    .isEqualTo("OK SEAL " + id + " " + SIZE);
        }
    }

    @Test
    @DisplayName("checksum at the end: a SEAL that does not match after the recipient started ends its stream with CHECKSUM_MISMATCH, no FILE")
    void sealFailsAfterTheRecipientStarted() throws Exception {
        byte[] content = randomBytes(SIZE, 7);
        try (LineClient alice = guest("alice"); LineClient bob = guest("bob")) {
            String id = offer(alice, "bob", SIZE, "-");
            assertThat(untagged(bob.event())).startsWith("OFFERED " + id);
            bob.send("FETCH " + id);
            chunk(alice, id, content, 0, HALF);
            Follower follower = new Follower().readUntil(bob, HALF);
            assertThat(chunk(alice, id, content, HALF, SIZE)).isEqualTo("OK CHUNK " + id + " " + SIZE);

            assertThat(seal(alice, id, sha256(randomBytes(SIZE, 8)))).startsWith("ERR SEAL CHECKSUM_MISMATCH");
            follower.readUntil(bob, Long.MAX_VALUE);
            assertThat(follower.reply.toString()).startsWith("ERR FETCH CHECKSUM_MISMATCH")
                    .contains("delete what you received");
            follower.drainPongs(bob); // a heartbeat PING answered late would otherwise come before the reply
            assertThat(bob.pendingAfter(Duration.ofMillis(300))).noneMatch(l -> untagged(l).startsWith("FILE "));
            assertThat(bob.send("FETCH " + id).reply()).startsWith("ERR FETCH NO_SUCH_FILE");
            assertThat(seal(alice, id, sha256(content))).startsWith("ERR SEAL NO_SUCH_FILE");
        }
    }

    @Test
    @DisplayName("checksum at the end: the sender drops mid-way and again before SEAL; the recipient waits, the sender resumes with -, seals, the file completes")
    void senderDropsAndResumesSealedAtTheEnd() throws Exception {
        byte[] content = randomBytes(SIZE, 9);
        try (LineClient bob = guest("bob")) {
            LineClient alice = server.connect();
            String token = alice.send("NICK alice").replyFrame().param(2);
            String id = offer(alice, "bob", SIZE, "-");
            assertThat(untagged(bob.event())).startsWith("OFFERED " + id);
            bob.send("FETCH " + id);
            chunk(alice, id, content, 0, HALF);
            Follower follower = new Follower().readUntil(bob, HALF);
            alice.close(); // gone without QUIT

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (follower.waiting.size() < 2 && System.nanoTime() < deadline) {
                follower.readOne(bob);
            }
            assertThat(follower.waiting).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(w -> assertThat(w.toString()).isEqualTo("WAITING " + id + " " + HALF));

            LineClient again = server.connect();
            Frame resumed = again.send("RESUME " + token).replyFrame();
            assertThat(resumed.toString()).startsWith("OK RESUME alice");
            assertThat(again.send(Frame.of("OFFER").params("bob", "big.bin", Integer.toString(SIZE), "-").build())
                    .reply()).isEqualTo("OK OFFER " + id + " " + HALF);
            assertThat(chunk(again, id, content, HALF, SIZE)).isEqualTo("OK CHUNK " + id + " " + SIZE);
            again.close(); // gone again, between the last chunk and its SEAL

            follower.readUntil(bob, SIZE);
            assertThat(follower.reply).isNull();
            try (LineClient third = server.connect()) {
                assertThat(third.send("RESUME " + resumed.param(2)).reply()).startsWith("OK RESUME alice");
                assertThat(third.send(Frame.of("OFFER").params("bob", "big.bin", Integer.toString(SIZE), "-").build())
                        .reply()).as("every byte is there: only the SEAL is missing").isEqualTo("OK OFFER " + id + " " + SIZE);
                assertThat(seal(third, id, sha256(content))).isEqualTo("OK SEAL " + id + " " + SIZE);
            }
            follower.readUntil(bob, Long.MAX_VALUE);
            assertThat(follower.reply.toString()).isEqualTo("OK FETCH " + id + " " + SIZE + " " + sha256(content));
            assertThat(sha256(follower.bytes.toByteArray())).isEqualTo(sha256(content));
        }
    }
}
