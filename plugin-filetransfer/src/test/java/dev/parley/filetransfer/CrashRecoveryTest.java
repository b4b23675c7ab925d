package dev.parley.filetransfer;

import static dev.parley.filetransfer.harness.FileTransferHarness.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.core.protocol.Frame;
import dev.parley.filetransfer.harness.Answer;
import dev.parley.testkit.TestSession;
import dev.parley.filetransfer.harness.FileTransferHarness;
import dev.parley.filetransfer.spool.CrashPoints;
import dev.parley.filetransfer.spool.CrashPoints.Step;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash (a {@code kill -9}) at every step of an upload, simulated by a crash point that stops the spool there
 * and a new plugin over the same directory: afterwards the upload finishes, nothing is lost and nothing is stuck.
 */
@DisplayName("Uploads cut by a crash (to an authenticated recipient: a guest's files end with its session)")
class CrashRecoveryTest {
    private static final int CHUNK = 100_000;

    /** Thrown by the armed crash point: nothing after it runs, as when the process dies there. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(Step step) {
            super("simulated crash at " + step);
        }
    }

    @TempDir
    Path temp;
    Path spool;
    final AtomicReference<Step> armed = new AtomicReference<>();
    FileTransferHarness server;

    @BeforeEach
    void start() throws Exception {
        spool = temp.resolve("spool");
        startOn(spool);
    }

    private void startOn(Path dir) throws Exception {
        CrashPoints crashPoints = step -> {
            if (armed.compareAndSet(step, null)) {
                throw new SimulatedCrash(step);
            }
        };
        server = new FileTransferHarness(FileTransferHarness.settings(dir, "quota-bytes", "1 MiB", "ttl", "1 hour",
                "sweep-interval", "1 hour"), clock -> new FileTransferPlugin(clock, crashPoints));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends the command; a simulated crash is the answer's absence, any other failure fails the test. */
    private Answer sendOrCrash(TestSession session, Frame frame) throws Exception {
        try {
            return server.submit(session, frame).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SimulatedCrash.class);
            return null;
        }
    }

    private static Frame offer(String target, String name, byte[] content) throws Exception {
        return Frame.of("OFFER").params(target, name, Integer.toString(content.length),
                FileTransferHarness.sha256(content)).build();
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "crash at {0}")
    @EnumSource(Step.class)
    @DisplayName("after a crash at any step and a restart, the sender's OFFER again finishes the upload and the recipient gets it")
    void crashAtEveryStep(Step step) throws Exception {
        byte[] content = randomBytes(3 * CHUNK - 123, step.ordinal());
        TestSession alice = server.connect("alice");
        TestSession bob = server.connectAuthenticated("bob");
        // A crash point reached by an earlier chunk would cut the upload at its first chunk instead: the steps
        // of the last chunk are armed only for it.
        boolean lastChunkStep = step != Step.OFFER_RECORDED;
        if (!lastChunkStep) {
            armed.set(step);
        }
        Answer offered = sendOrCrash(alice, offer("bob", "a.bin", content));
        String first = null;
        if (offered != null) {
            String id = offered.param(0);
            first = id;
            for (int offset = 0; offset < content.length; offset += CHUNK) {
                int end = Math.min(content.length, offset + CHUNK);
                if (end == content.length) {
                    armed.set(step);
                }
                Answer chunk = sendOrCrash(alice, Frame.of("CHUNK").params(id, Integer.toString(offset))
                        .payload(Arrays.copyOfRange(content, offset, end)).build());
                if (chunk == null) {
                    break;
                }
            }
        }
        assertThat(armed.get()).as("the crash point %s was reached", step).isNull();

        server.restart();
        server.disconnect(alice);
        TestSession again = server.connect("alice");
        Answer resumed = server.send(again, offer("bob", "a.bin", content));
        assertThat(resumed.isOk()).as("%s", resumed).isTrue();
        String id = resumed.param(0);
        if (first != null) {
            assertThat(id).as("the same upload goes on").isEqualTo(first);
        }
        long from = Long.parseLong(resumed.param(1));
        if (from < content.length) {
            Answer last = server.upload(again, id, content, (int) from, content.length, CHUNK);
            assertThat(last.isOk()).as("%s", last).isTrue();
        }

        assertThat(bob.events("FILE")).as("bob is told of the file").extracting(f -> f.param(0)).contains(id);
        assertThat(server.send(bob, "FILES").data()).extracting(f -> f.param(0)).containsExactly(id);
        assertThat(server.fetch(bob, id, 0)).isEqualTo(content);
        assertThat(namesIn(spool)).containsExactly(id + ".file", id + ".properties");
        Answer fresh = server.send(again, offer("bob", "a.bin", content));
        assertThat(fresh.param(0)).as("once told, the same file offered again is a new upload").isNotEqualTo(id);
        assertThat(fresh.param(1)).isEqualTo("0");
    }

    @Test
    @DisplayName("a crash after the last chunk is written: the restart alone finishes the file, FILES lists it")
    void restartFinishes() throws Exception {
        byte[] content = randomBytes(2 * CHUNK, 7);
        TestSession alice = server.connectAuthenticated("alice");
        TestSession bob = server.connectAuthenticated("bob");
        String id = server.offerOk(alice, "bob", "a.bin", content);
        server.upload(alice, id, content, 0, CHUNK, CHUNK);
        armed.set(Step.CHUNK_WRITTEN);
        assertThat(sendOrCrash(alice, Frame.of("CHUNK").params(id, Integer.toString(CHUNK))
                .payload(Arrays.copyOfRange(content, CHUNK, 2 * CHUNK)).build())).isNull();

        server.restart();

        assertThat(server.send(bob, "FILES").data()).extracting(f -> f.param(0)).containsExactly(id);
        assertThat(server.fetch(bob, id, 0)).isEqualTo(content);
        assertThat(server.send(alice, "FETCH " + id).isOk()).as("not INCOMPLETE for its sender").isTrue();
    }

    @Test
    @DisplayName("a .part holding every byte under an 'uploading' sidecar without recipients is started over from 0, not stuck")
    void fullPartWithoutRecipients() throws Exception {
        byte[] content = randomBytes(2 * CHUNK, 8);
        TestSession alice = server.connect("alice");
        TestSession bob = server.connectAuthenticated("bob");
        String id = server.offerOk(alice, "bob", "a.bin", content);
        server.upload(alice, id, content, 0, CHUNK, CHUNK);
        // What a kill -9 right after the last write left before recipients were recorded first.
        try (OutputStream out = Files.newOutputStream(spool.resolve(id + ".part"), StandardOpenOption.APPEND)) {
            out.write(content, CHUNK, CHUNK);
        }

        server.restart();

        Answer again = server.offer(alice, "bob", "a.bin", content);
        assertThat(again.toString()).isEqualTo("OK OFFER " + id + " 0");
        assertThat(server.upload(alice, id, content, 0, content.length, CHUNK).isOk()).isTrue();
        assertThat(server.fetch(bob, id, 0)).isEqualTo(content);
    }

    @Test
    @DisplayName("a full .part whose bytes do not match the SHA-256 is emptied and resumed from 0")
    void fullPartCorrupt() throws Exception {
        byte[] content = randomBytes(2 * CHUNK, 9);
        TestSession alice = server.connect("alice");
        TestSession bob = server.connectAuthenticated("bob");
        String id = server.offerOk(alice, "bob", "a.bin", content);
        server.upload(alice, id, content, 0, CHUNK, CHUNK);
        armed.set(Step.CHUNK_WRITTEN);
        sendOrCrash(alice, Frame.of("CHUNK").params(id, Integer.toString(CHUNK))
                .payload(Arrays.copyOfRange(content, CHUNK, 2 * CHUNK)).build());
        try (var channel = java.nio.channels.FileChannel.open(spool.resolve(id + ".part"), StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 10);
        }

        server.restart();

        assertThat(server.send(bob, "FILES").toString()).isEqualTo("OK FILES 0");
        assertThat(server.offer(alice, "bob", "a.bin", content).toString()).isEqualTo("OK OFFER " + id + " 0");
        assertThat(Files.size(spool.resolve(id + ".part"))).isZero();
    }

    @Test
    @DisplayName("a .part or .file without a sidecar (a failed OFFER of an earlier version) is deleted at start")
    void orphansDeleted() throws Exception {
        Files.createFile(spool.resolve("aaaaaaaaaaaaaaaaaaaaaaaaaa.part"));
        Files.write(spool.resolve("bbbbbbbbbbbbbbbbbbbbbbbbbb.file"), new byte[] {1});
        TestSession alice = server.connect("alice");
        server.connectAuthenticated("bob");
        String kept = server.offerOk(alice, "bob", "a.bin", randomBytes(10, 1));

        server.restart();

        assertThat(namesIn(spool)).containsExactly(kept + ".part", kept + ".properties");
    }

    @Test
    @DisplayName("an OFFER that fails on a full disk leaves no file behind (needs root to mount a tiny tmpfs)")
    void fullDisk() throws Exception {
        Path mount = Files.createDirectories(temp.resolve("tiny"));
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mounting.waitFor(20, TimeUnit.SECONDS) && mounting.exitValue() == 0;
        String why = new String(mounting.getInputStream().readAllBytes()).strip();
        assumeTrue(mounted, () -> "cannot mount a tmpfs here (not root, or no mount permission): " + why);
        try {
            server.close();
            Path dir = mount.resolve("spool");
            startOn(dir);
            TestSession alice = server.connect("alice");
            server.connectAuthenticated("bob");
            try (OutputStream filler = Files.newOutputStream(mount.resolve("filler"))) {
                byte[] page = new byte[4096];
                while (true) {
                    filler.write(page);
                    filler.flush();
                }
            } catch (IOException full) {
                // the disk is full now
            }

            Throwable failure = null;
            try {
                server.send(alice, offer("bob", "a.bin", randomBytes(10, 1)));
            } catch (ExecutionException e) {
                failure = e.getCause();
            }

            assertThat(failure).as("the OFFER failed for want of space").isInstanceOf(IOException.class);
            assertThat(namesIn(dir)).as("no 0-byte .part, no sidecar left").isEmpty();
        } finally {
            server.close();
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
