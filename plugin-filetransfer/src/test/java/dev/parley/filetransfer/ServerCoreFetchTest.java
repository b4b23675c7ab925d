package dev.parley.filetransfer;

import static dev.parley.filetransfer.harness.FileTransferHarness.randomBytes;
import static dev.parley.filetransfer.harness.FileTransferHarness.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.RetentionPolicy;
import dev.parley.core.spi.Session;
import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.TestClient;
import dev.parley.testkit.TestDirectory;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin inside core's real {@code ServerCore} and dispatcher, on the test kit's in-memory connections:
 * checks that FETCH reads core's {@link Session#pendingBytes()} (what the client has not read yet) and that
 * the async reply comes last.
 */
@DisplayName("The filetransfer plugin in core's server")
class ServerCoreFetchTest {
    private static final long WINDOW = 128 * 1024;
    private static final int CHUNK = 32 * 1024;

    @TempDir
    Path temp;
    ParleyTestKit kit;

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.close();
        }
    }

    @Test
    @DisplayName("FETCH sends no more than the window while the client does not read, then finishes")
    void flowControl() throws Exception {
        kit = ParleyTestKit.builder().plugin(new TestDirectory()).plugin(new FileTransferPlugin())
                .set("parley.filetransfer.spool-dir", temp.resolve("spool").toString())
                .set("parley.filetransfer.chunk-bytes", CHUNK)
                .set("parley.filetransfer.fetch-window-bytes", WINDOW)
                .set("parley.filetransfer.fetch-poll-interval", "1 ms")
                .start();
        TestClient alice = kit.connect("alice");
        TestClient bob = kit.connect("bob");
        byte[] content = randomBytes(1_000_000, 11);
        alice.send(Frame.of("OFFER").params("bob", "big.bin", Integer.toString(content.length), sha256(content)).build());
        String id = ok(alice, "OFFER").param(1);
        for (int offset = 0; offset < content.length; offset += 400_000) {
            byte[] part = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + 400_000));
            alice.send(Frame.of("CHUNK").params(id, Integer.toString(offset)).payload(part).build());
        }
        assertThat(ok(alice, "CHUNK").param(2)).isEqualTo("400000");
        assertThat(ok(alice, "CHUNK").param(2)).isEqualTo("800000");
        assertThat(ok(alice, "CHUNK").param(2)).isEqualTo("1000000");
        assertThat(bob.eventFrame().verb()).isEqualTo("OFFERED");
        Frame file = bob.eventFrame();
        assertThat(file.verb()).isEqualTo("FILE");
        assertThat(file.param(0)).isEqualTo(id);

        kit.stopReading(bob);
        Session session = kit.session(bob);
        bob.send(Frame.of("FETCH").param(id).build());
        kit.await("a window's worth of chunks is unread", () -> session.pendingBytes() >= WINDOW);
        Thread.sleep(100); // time for FETCH to overrun the window if it ignored it: nothing to wait for
        assertThat(session.pendingBytes()).isBetween(WINDOW, WINDOW + CHUNK + 200);

        kit.resumeReading(bob);
        // Every chunk, then the reply: an OK written early (while bob did not read) would come first here.
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Frame line;
        while ((line = bob.nextFrame()).verb().equals("CHUNK")) {
            received.writeBytes(line.payload());
        }
        assertThat(line.verb()).isEqualTo("OK");
        assertThat(line.params()).containsExactly("FETCH", id, "1000000", sha256(content));
        assertThat(received.toByteArray()).isEqualTo(content);
    }

    @Test
    @DisplayName("with resumption on, FILE is an event (numbered, replayable) but FETCH's chunks are data lines")
    void chunksAreNotReplayed() throws Exception {
        ParleyPlugin retaining = new ParleyPlugin() {
            @Override
            public String name() {
                return "retaining";
            }

            @Override
            public void start(PluginContext context) {
                context.retainSessions(new RetentionPolicy(Duration.ofSeconds(30), 4));
            }
        };
        kit = ParleyTestKit.builder().plugin(new TestDirectory()).plugin(new FileTransferPlugin()).plugin(retaining)
                .set("parley.filetransfer.spool-dir", temp.resolve("spool2").toString())
                .set("parley.filetransfer.chunk-bytes", CHUNK)
                .start();
        TestClient alice = kit.connect("alice");
        TestClient bob = kit.connect("bob");
        byte[] content = randomBytes(10 * CHUNK, 3);
        alice.send(Frame.of("OFFER").params("bob", "f.bin", Integer.toString(content.length), sha256(content)).build());
        String id = ok(alice, "OFFER").param(1);
        alice.send(Frame.of("CHUNK").params(id, "0").payload(content).build());
        ok(alice, "CHUNK");
        assertThat(bob.eventFrame().verb()).isEqualTo("OFFERED");
        Frame file = bob.eventFrame();
        assertThat(file.verb()).isEqualTo("FILE");
        assertThat(file.tag("seq")).isEqualTo("2");
        bob.send(Frame.of("FETCH").param(id).build());
        List<Frame> chunks = new ArrayList<>();
        Frame line;
        while ((line = bob.nextFrame()).verb().equals("CHUNK")) {
            chunks.add(line);
        }
        assertThat(line.toString()).startsWith("OK FETCH");
        assertThat(chunks).hasSize(10).allSatisfy(chunk -> assertThat(chunk.tag("seq")).isNull());
    }

    @Test
    @DisplayName("a recipient following an upload that stops reading does not slow the uploader, and holds only the window")
    void slowFollowerDoesNotSlowTheUploader() throws Exception {
        kit = ParleyTestKit.builder().plugin(new TestDirectory()).plugin(new FileTransferPlugin())
                .set("parley.filetransfer.spool-dir", temp.resolve("spool3").toString())
                .set("parley.filetransfer.chunk-bytes", CHUNK)
                .set("parley.filetransfer.fetch-waiting-interval", "100 ms")
                .set("parley.filetransfer.fetch-window-bytes", WINDOW)
                .set("parley.filetransfer.fetch-poll-interval", "1 ms")
                .start();
        TestClient alice = kit.connect("alice");
        TestClient bob = kit.connect("bob");
        byte[] content = randomBytes(2_000_000, 13);
        alice.send(Frame.of("OFFER").params("bob", "big.bin", Integer.toString(content.length), sha256(content)).build());
        String id = ok(alice, "OFFER").param(1);
        assertThat(bob.eventFrame().verb()).isEqualTo("OFFERED");
        Session session = kit.session(bob);
        bob.send(Frame.of("FETCH").param(id).build());
        kit.await("bob's FETCH waits for the upload (WAITING)", () -> !bob.pending().isEmpty());
        kit.stopReading(bob);

        // Every chunk is answered although bob reads nothing: the upload goes to the spool, not to bob.
        for (int offset = 0; offset < content.length; offset += 250_000) {
            byte[] part = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + 250_000));
            alice.send(Frame.of("CHUNK").params(id, Integer.toString(offset)).payload(part).build());
        }
        for (int next = 250_000; next <= content.length; next += 250_000) {
            assertThat(ok(alice, "CHUNK").param(2)).isEqualTo(Integer.toString(next));
        }
        assertThat(session.pendingBytes()).as("bob holds at most the window and a chunk")
                .isLessThanOrEqualTo(WINDOW + CHUNK + 200);

        kit.resumeReading(bob);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Frame line;
        while (!(line = bob.nextFrame()).verb().equals("OK")) {
            if (line.verb().equals("CHUNK")) {
                received.writeBytes(line.payload());
            }
        }
        assertThat(line.params()).containsExactly("FETCH", id, "2000000", sha256(content));
        assertThat(received.toByteArray()).isEqualTo(content);
    }

    /** The client's next final reply, which must be OK to the verb. */
    private static Frame ok(TestClient client, String verb) {
        Frame reply = client.replyFrame();
        assertThat(reply.verb()).as("%s", reply).isEqualTo("OK");
        assertThat(reply.param(0)).isEqualTo(verb);
        return reply;
    }
}
