package dev.parley.filetransfer;

import static dev.parley.filetransfer.harness.FileTransferHarness.chunkBytes;
import static dev.parley.filetransfer.harness.FileTransferHarness.randomBytes;
import static dev.parley.filetransfer.harness.FileTransferHarness.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.filetransfer.harness.Answer;
import dev.parley.testkit.TestSession;
import dev.parley.filetransfer.harness.FileTransferHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The filetransfer plugin")
class FileTransferPluginTest {
    private static final int MB = 1_000_000;
    private static final int CHUNK = 256 * 1024;

    @TempDir
    Path temp;
    Path spool;
    FileTransferHarness server;
    TestSession alice;
    TestSession bob;
    TestSession carol;

    @BeforeEach
    void startServer() throws Exception {
        spool = temp.resolve("spool");
        server = new FileTransferHarness(FileTransferHarness.settings(spool,
                "max-file-bytes", "8 MiB",
                "quota-bytes", "10 MiB",
                "chunk-bytes", "64 KiB",
                "ttl", "1 hour",
                "sweep-interval", "1 hour",
                "fetch-window-bytes", "256 KiB",
                "fetch-poll-interval", "2 ms"), FileTransferPlugin::new);
        server.start();
        alice = server.connect("Alice");
        bob = server.connectAuthenticated("bob");
        carol = server.connect("carol");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private FileTransferPlugin plugin() {
        return (FileTransferPlugin) server.plugin();
    }

    /** Offers and uploads the whole content from alice to the target; returns the file id. */
    private String sendFile(TestSession from, String target, String name, byte[] content) throws Exception {
        String id = server.offerOk(from, target, name, content);
        Answer last = server.upload(from, id, content, 0, content.length, CHUNK);
        assertThat(last.isOk()).as("%s", last).isTrue();
        return id;
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    @DisplayName("every command requires registration")
    void commandsRequireRegistration() {
        assertThat(server.commands().keySet()).containsExactlyInAnyOrder("OFFER", "CHUNK", "SEAL", "FILES", "FETCH");
        assertThat(server.commands().values()).allMatch(Command::requiresRegistration);
    }

    @Nested
    @DisplayName("OFFER")
    class Offer {
        @Test
        @DisplayName("to an online nick answers a fresh, unguessable id at offset 0")
        void toNick() throws Exception {
            byte[] content = randomBytes(10, 1);
            Answer first = server.offer(alice, "BOB", "a.txt", content);
            Answer second = server.offer(alice, "bob", "b.txt", content);

            assertThat(first.toString()).matches("OK OFFER [a-z2-7]{26} 0");
            assertThat(second.param(0)).isNotEqualTo(first.param(0));
        }

        @Test
        @DisplayName("to a room the sender is in is accepted")
        void toRoom() throws Exception {
            server.directory().join("#ops", alice);
            assertThat(server.offer(alice, "#ops", "a.txt", randomBytes(10, 1)).isOk()).isTrue();
        }

        @Test
        @DisplayName("to a room the sender is not in is NOT_IN_ROOM, whether or not it exists")
        void notInRoom() throws Exception {
            server.directory().join("#ops", bob);
            assertThat(server.offer(alice, "#ops", "a.txt", randomBytes(10, 1)).code()).isEqualTo("NOT_IN_ROOM");
            assertThat(server.offer(alice, "#nowhere", "a.txt", randomBytes(10, 1)).code()).isEqualTo("NOT_IN_ROOM");
        }

        @Test
        @DisplayName("to a nick nobody uses is NO_SUCH_NICK")
        void noSuchNick() throws Exception {
            assertThat(server.offer(alice, "zed", "a.txt", randomBytes(10, 1)).code()).isEqualTo("NO_SUCH_NICK");
        }

        @Test
        @DisplayName("of more than max-file-bytes is FILE_TOO_LARGE")
        void tooLarge() throws Exception {
            Answer answer = server.offer(alice, "bob", "big.iso", 8L * 1024 * 1024 + 1, "0".repeat(64));
            assertThat(answer.code()).isEqualTo("FILE_TOO_LARGE");
            assertThat(server.offer(alice, "bob", "ok.iso", 8L * 1024 * 1024, "0".repeat(64)).isOk()).isTrue();
        }

        @Test
        @DisplayName("past the sender's quota, unfinished uploads included, is QUOTA_EXCEEDED")
        void quota() throws Exception {
            long six = 6L * 1024 * 1024;
            assertThat(server.offer(alice, "bob", "one", six, "1".repeat(64)).isOk()).isTrue();
            assertThat(server.offer(alice, "bob", "two", six, "2".repeat(64)).code()).isEqualTo("QUOTA_EXCEEDED");
            assertThat(server.offer(bob, "alice", "two", six, "2".repeat(64)).isOk())
                    .as("the quota is per sender").isTrue();
        }

        @Test
        @DisplayName("frees quota when files expire")
        void quotaFreedByExpiry() throws Exception {
            long six = 6L * 1024 * 1024;
            assertThat(server.offer(alice, "bob", "one", six, "1".repeat(64)).isOk()).isTrue();
            server.clock().advance(Duration.ofHours(2));
            assertThat(server.offer(alice, "bob", "two", six, "2".repeat(64)).isOk()).isTrue();
        }

        @ParameterizedTest(name = "size ''{0}''")
        @ValueSource(strings = {"0", "-1", "1k", "12345678901234567890", "1.5"})
        @DisplayName("with a malformed size is BAD_ARGUMENT")
        void badSize(String size) throws Exception {
            Answer answer = server.send(alice, Frame.of("OFFER").params("bob", "a", size, "0".repeat(64)).build());
            assertThat(answer.code()).isEqualTo("BAD_ARGUMENT");
        }

        @ParameterizedTest(name = "sha256 ''{0}''")
        @ValueSource(strings = {"abc", "g000000000000000000000000000000000000000000000000000000000000000",
                "00000000000000000000000000000000000000000000000000000000000000000"})
        @DisplayName("with a malformed sha256 is BAD_ARGUMENT")
        void badSha(String sha) throws Exception {
            Answer answer = server.send(alice, Frame.of("OFFER").params("bob", "a", "10", sha).build());
            assertThat(answer.code()).isEqualTo("BAD_ARGUMENT");
        }

        @ParameterizedTest(name = "name ''{0}''")
        @ValueSource(strings = {"..", "../", "/", "a/..\\", "...", "\u0085x"})
        @DisplayName("with a name that is nothing but a path, or holds control characters, is BAD_NAME")
        void badName(String name) throws Exception {
            assertThat(server.offer(alice, "bob", name, randomBytes(3, 1)).code()).isEqualTo("BAD_NAME");
        }

        @Test
        @DisplayName("with a name of more than 255 characters is BAD_NAME")
        void longName() throws Exception {
            assertThat(server.offer(alice, "bob", "x".repeat(256), randomBytes(3, 1)).code()).isEqualTo("BAD_NAME");
        }

        @Test
        @DisplayName("with too few arguments is BAD_ARGUMENT with the usage")
        void usage() throws Exception {
            Answer answer = server.send(alice, "OFFER bob a.txt 10");
            assertThat(answer.code()).isEqualTo("BAD_ARGUMENT");
            assertThat(answer.reply().text()).isEqualTo("usage: OFFER <nick|#room> <name> <size> <sha256-hex|->");
        }
    }

    @Nested
    @DisplayName("Upload and FETCH")
    class UploadAndFetch {
        @Test
        @DisplayName("a 3 MB file uploaded in chunks comes back identical, whole and from an offset")
        void roundTrip() throws Exception {
            byte[] content = randomBytes(3 * MB, 7);
            String id = sendFile(alice, "bob", "photo.jpg", content);

            assertThat(server.fetch(bob, id, 0)).isEqualTo(content);
            assertThat(server.fetch(bob, id, 1_234_567))
                    .isEqualTo(Arrays.copyOfRange(content, 1_234_567, content.length));
            assertThat(server.fetch(alice, id, 0)).as("the sender may fetch too").isEqualTo(content);
        }

        @Test
        @DisplayName("FETCH sends chunks of chunk-bytes and ends with OK FETCH <id> <size> <sha256>")
        void fetchFraming() throws Exception {
            byte[] content = randomBytes(200_000, 3);
            String id = sendFile(alice, "bob", "a.bin", content);
            bob.clearEvents();

            Answer answer = server.send(bob, "FETCH " + id);

            assertThat(answer.toString()).isEqualTo("OK FETCH " + id + " 200000 " + sha256(content));
            assertThat(bob.events("CHUNK")).extracting(f -> f.payload().length)
                    .containsExactly(65536, 65536, 65536, 200_000 - 3 * 65536);
        }

        @Test
        @DisplayName("FETCH at the size sends nothing; past it is BAD_OFFSET")
        void fetchOffsets() throws Exception {
            byte[] content = randomBytes(1000, 3);
            String id = sendFile(alice, "bob", "a.bin", content);

            assertThat(server.fetch(bob, id, 1000)).isEmpty();
            Answer past = server.send(bob, "FETCH " + id + " 1001");
            assertThat(past.code()).isEqualTo("BAD_OFFSET");
            assertThat(past.reply().text()).contains("1000");
        }

        @Test
        @DisplayName("the uploader cannot FETCH before the upload is complete (INCOMPLETE), a stranger learns nothing")
        void fetchIncomplete() throws Exception {
            String id = server.offerOk(alice, "bob", "a.bin", randomBytes(1000, 3));
            assertThat(server.send(alice, "FETCH " + id).code()).isEqualTo("INCOMPLETE");
            assertThat(server.send(carol, "FETCH " + id).code()).isEqualTo("NO_SUCH_FILE");
        }

        @Test
        @DisplayName("chunks go to disk as they arrive, as <id>.part, then <id>.file once verified")
        void spoolLayout() throws Exception {
            byte[] content = randomBytes(500_000, 9);
            String id = server.offerOk(alice, "bob", "a.bin", content);
            server.upload(alice, id, content, 0, 300_000, 100_000);
            assertThat(Files.size(spool.resolve(id + ".part"))).isEqualTo(300_000);

            server.upload(alice, id, content, 300_000, content.length, 100_000);

            assertThat(spool.resolve(id + ".part")).doesNotExist();
            assertThat(spool.resolve(id + ".file")).hasBinaryContent(content);
            assertThat(spool.resolve(id + ".properties")).exists();
        }
    }

    @Nested
    @DisplayName("Spool changed outside Parley")
    class SpoolChangedOutside {
        @Test
        @DisplayName("a spool directory deleted while the server runs is made again at the next OFFER")
        void directoryDeleted() throws Exception {
            deleteTree(spool);

            byte[] content = randomBytes(300_000, 21);
            String id = sendFile(alice, "bob", "after.bin", content);

            assertThat(server.fetch(bob, id, 0)).isEqualTo(content);
            assertThat(spool.resolve(id + ".file")).hasBinaryContent(content);
        }

        @Test
        @DisplayName("a partial upload deleted under the server: the next CHUNK is NO_SUCH_FILE, and the file is offered afresh")
        void partDeleted() throws Exception {
            byte[] content = randomBytes(500_000, 22);
            String id = server.offerOk(alice, "bob", "gone.bin", content);
            assertThat(server.upload(alice, id, content, 0, 200_000, 100_000).isOk()).isTrue();
            Files.delete(spool.resolve(id + ".part"));

            Answer next = server.chunk(alice, id, 200_000, Arrays.copyOfRange(content, 200_000, 300_000));

            assertThat(next.code()).isEqualTo("NO_SUCH_FILE");
            assertThat(next.reply().text()).contains("OFFER the file again");
            assertThat(filesIn(spool)).isEmpty(); // its sidecar went with it
            Answer again = server.offer(alice, "bob", "gone.bin", content);
            assertThat(again.param(1)).as("a new upload from 0, not a resume of the lost one").isEqualTo("0");
            assertThat(again.param(0)).isNotEqualTo(id);
        }

        private static void deleteTree(Path dir) throws Exception {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Nested
    @DisplayName("Announcement")
    class Announcement {
        @Test
        @DisplayName("a completed file to a nick reaches that nick only, as FILE <id> <from> <size> <sha256> :<name>")
        void toNick() throws Exception {
            byte[] content = randomBytes(1000, 1);
            String id = sendFile(alice, "BOB", "notes.txt", content);

            assertThat(bob.events("FILE")).extracting(Frame::toString)
                    .containsExactly("FILE " + id + " Alice 1000 " + sha256(content) + " :notes.txt");
            assertThat(alice.events("FILE")).isEmpty();
            assertThat(carol.events("FILE")).isEmpty();
        }

        @Test
        @DisplayName("nothing is announced before the last byte")
        void notBeforeComplete() throws Exception {
            byte[] content = randomBytes(1000, 1);
            String id = server.offerOk(alice, "bob", "notes.txt", content);
            server.upload(alice, id, content, 0, 999, 500);
            assertThat(bob.events("FILE")).isEmpty();
        }

        @Test
        @DisplayName("a completed file to a room reaches its members at that moment, not the sender or others")
        void toRoom() throws Exception {
            TestSession dave = server.connect("dave");
            server.directory().join("#ops", alice);
            server.directory().join("#ops", bob);
            byte[] content = randomBytes(1000, 1);
            String id = server.offerOk(alice, "#ops", "notes.txt", content);
            server.directory().join("#ops", dave);

            server.upload(alice, id, content, 0, content.length, CHUNK);

            assertThat(bob.events("FILE")).hasSize(1);
            assertThat(dave.events("FILE")).as("joined before completion").hasSize(1);
            assertThat(alice.events("FILE")).isEmpty();
            assertThat(carol.events("FILE")).isEmpty();
            assertThat(server.send(dave, "FILES").data()).hasSize(1);
            assertThat(server.send(carol, "FILES").data()).isEmpty();
        }
    }

    @Nested
    @DisplayName("Access")
    class Access {
        @Test
        @DisplayName("a stranger's FETCH is NO_SUCH_FILE, exactly as for an unknown id")
        void strangerFetch() throws Exception {
            String id = sendFile(alice, "bob", "a.bin", randomBytes(1000, 1));

            Answer stranger = server.send(carol, "FETCH " + id);
            Answer unknown = server.send(carol, "FETCH " + "a".repeat(26));

            assertThat(stranger.code()).isEqualTo("NO_SUCH_FILE");
            assertThat(unknown.code()).isEqualTo("NO_SUCH_FILE");
            assertThat(stranger.reply().text()).isEqualTo(unknown.reply().text().replace("a".repeat(26), id));
            assertThat(carol.events("CHUNK")).isEmpty();
        }

        @Test
        @DisplayName("only the uploader may send chunks: the target and strangers get NO_SUCH_FILE")
        void strangerChunk() throws Exception {
            byte[] content = randomBytes(1000, 1);
            String id = server.offerOk(alice, "bob", "a.bin", content);

            assertThat(server.chunk(carol, id, 0, content).code()).isEqualTo("NO_SUCH_FILE");
            assertThat(server.chunk(bob, id, 0, content).code()).isEqualTo("NO_SUCH_FILE");
            assertThat(server.chunk(alice, "../../etc/passwd", 0, content).code()).isEqualTo("NO_SUCH_FILE");
            assertThat(server.chunk(alice, id, 0, content).isOk()).isTrue();
        }
    }

    @Nested
    @DisplayName("Checksum")
    class Checksum {
        @Test
        @DisplayName("a file whose bytes do not match the offered sha256 is refused, announced to nobody, discarded")
        void mismatch() throws Exception {
            byte[] content = randomBytes(300_000, 1);
            String id = server.offer(alice, "bob", "a.bin", content.length, sha256(new byte[] {1})).param(0);
            server.upload(alice, id, content, 0, 200_000, 100_000);

            Answer last = server.chunk(alice, id, 200_000, Arrays.copyOfRange(content, 200_000, 300_000));

            assertThat(last.toString()).startsWith("ERR CHUNK CHECKSUM_MISMATCH :");
            assertThat(bob.events("FILE")).isEmpty();
            assertThat(server.send(bob, "FILES").data()).isEmpty();
            assertThat(server.send(alice, "FETCH " + id).code()).isEqualTo("NO_SUCH_FILE");
            assertThat(filesIn(spool)).isEmpty();
            assertThat(server.offer(alice, "bob", "a.bin", content).param(1))
                    .as("offering again starts over").isEqualTo("0");
        }
    }

    @Nested
    @DisplayName("CHUNK offsets")
    class Offsets {
        String id;
        byte[] content = randomBytes(1000, 1);

        @BeforeEach
        void offerAndSendSome() throws Exception {
            id = server.offerOk(alice, "bob", "a.bin", content);
            server.upload(alice, id, content, 0, 400, 400);
        }

        @Test
        @DisplayName("a gap is BAD_OFFSET naming the expected offset")
        void gap() throws Exception {
            Answer answer = server.chunk(alice, id, 500, Arrays.copyOfRange(content, 500, 600));
            assertThat(answer.code()).isEqualTo("BAD_OFFSET");
            assertThat(answer.reply().text()).contains("expected offset 400");
        }

        @Test
        @DisplayName("an overlap is BAD_OFFSET naming the expected offset")
        void overlap() throws Exception {
            Answer answer = server.chunk(alice, id, 300, Arrays.copyOfRange(content, 300, 500));
            assertThat(answer.code()).isEqualTo("BAD_OFFSET");
            assertThat(answer.reply().text()).contains("expected offset 400");
        }

        @Test
        @DisplayName("a chunk past the announced size is BAD_OFFSET, and the upload goes on")
        void pastSize() throws Exception {
            Answer answer = server.chunk(alice, id, 400, new byte[601]);
            assertThat(answer.code()).isEqualTo("BAD_OFFSET");
            assertThat(answer.reply().text()).contains("1000");

            assertThat(server.upload(alice, id, content, 400, 1000, 600).isOk()).isTrue();
            assertThat(server.chunk(alice, id, 1000, new byte[1]).code()).isEqualTo("BAD_OFFSET");
        }

        @Test
        @DisplayName("a CHUNK without payload or with a malformed offset is BAD_ARGUMENT")
        void malformed() throws Exception {
            assertThat(server.send(alice, "CHUNK " + id + " 400").code()).isEqualTo("BAD_ARGUMENT");
            assertThat(server.chunk(alice, id, 400, new byte[1]).isOk()).isTrue();
            assertThat(server.send(alice, Frame.of("CHUNK").params(id, "x").payload(new byte[1]).build()).code())
                    .isEqualTo("BAD_ARGUMENT");
        }
    }

    @Nested
    @DisplayName("Names")
    class Names {
        @Test
        @DisplayName("a name like ../../../../evil stays a display string: nothing is created outside the spool")
        void traversal() throws Exception {
            byte[] content = randomBytes(1000, 1);
            sendFile(alice, "bob", "../../../../evil", content);
            sendFile(alice, "bob", "..\\..\\evil2.txt", content);

            assertThat(bob.events("FILE")).extracting(Frame::trailing).containsExactly("evil", "evil2.txt");
            List<Path> all = filesIn(temp);
            assertThat(all).allMatch(p -> p.startsWith(spool));
            assertThat(all).noneMatch(p -> p.getFileName().toString().contains("evil"));
        }
    }

    @Nested
    @DisplayName("Resume")
    class Resume {
        @Test
        @DisplayName("an upload cut after 2 MB, offered again from a new session of the same nick, resumes at 2 MB")
        void resume() throws Exception {
            byte[] content = randomBytes(3 * MB, 5);
            String id = server.offerOk(alice, "bob", "movie.mkv", content);
            server.upload(alice, id, content, 0, 2 * MB, CHUNK);
            server.disconnect(alice);

            TestSession again = server.connect("ALICE");
            Answer answer = server.offer(again, "bob", "movie.mkv", content);

            assertThat(answer.toString()).isEqualTo("OK OFFER " + id + " " + 2 * MB);
            assertThat(server.upload(again, id, content, 2 * MB, content.length, CHUNK).isOk()).isTrue();
            assertThat(server.fetch(bob, id, 0)).isEqualTo(content);
        }

        @Test
        @DisplayName("resuming works while the target is offline, and the file then waits in their FILES")
        void targetOffline() throws Exception {
            byte[] content = randomBytes(300_000, 5);
            String id = server.offerOk(alice, "bob", "a.bin", content);
            server.upload(alice, id, content, 0, 100_000, 100_000);
            server.disconnect(alice);
            server.disconnect(bob);

            TestSession again = server.connect("alice");
            assertThat(server.offer(again, "bob", "a.bin", content).toString())
                    .isEqualTo("OK OFFER " + id + " 100000");
            server.upload(again, id, content, 100_000, content.length, 100_000);

            TestSession bobAgain = server.connectAuthenticated("bob");
            assertThat(server.send(bobAgain, "FILES").data()).extracting(f -> f.param(0)).containsExactly(id);
        }

        @Test
        @DisplayName("another sender offering the same file gets a new id")
        void otherSender() throws Exception {
            byte[] content = randomBytes(1000, 5);
            String id = server.offerOk(alice, "carol", "a.bin", content);
            assertThat(server.offer(bob, "carol", "a.bin", content).param(0)).isNotEqualTo(id);
        }
    }

    @Nested
    @DisplayName("FILES")
    class FilesList {
        @Test
        @DisplayName("lists completed files offered to me while I was offline, and nothing offered to others")
        void offline() throws Exception {
            byte[] content = randomBytes(1000, 1);
            String id = server.offerOk(alice, "bob", "late.txt", content);
            server.disconnect(bob);
            server.upload(alice, id, content, 0, content.length, 600);
            sendFile(alice, "carol", "other.txt", content);

            TestSession back = server.connectAuthenticated("Bob");
            Answer answer = server.send(back, "FILES");

            assertThat(answer.data()).extracting(Frame::toString)
                    .containsExactly("FILE " + id + " Alice 1000 " + sha256(content) + " :late.txt");
            assertThat(answer.toString()).isEqualTo("OK FILES 1");
            assertThat(server.fetch(back, id, 0)).isEqualTo(content);
        }

        @Test
        @DisplayName("lists nothing unfinished")
        void unfinished() throws Exception {
            server.offerOk(alice, "bob", "a.txt", randomBytes(10, 1));
            assertThat(server.send(bob, "FILES").toString()).isEqualTo("OK FILES 0");
        }
    }

    @Nested
    @DisplayName("Expiry")
    class Expiry {
        @Test
        @DisplayName("the sweep deletes files and unfinished uploads older than the ttl")
        void sweep() throws Exception {
            byte[] content = randomBytes(1000, 1);
            String done = sendFile(alice, "bob", "a.txt", content);
            server.offerOk(alice, "bob", "b.txt", randomBytes(2000, 2));
            server.clock().advance(Duration.ofMinutes(59));
            assertThat(plugin().sweep()).isZero();

            server.clock().advance(Duration.ofMinutes(2));
            assertThat(plugin().sweep()).isEqualTo(2);

            assertThat(filesIn(spool)).isEmpty();
            assertThat(server.send(bob, "FILES").toString()).isEqualTo("OK FILES 0");
            assertThat(server.send(bob, "FETCH " + done).code()).isEqualTo("NO_SUCH_FILE");
        }

        @Test
        @DisplayName("the sweep runs on the scheduler every sweep-interval")
        void scheduled() throws Exception {
            server.close();
            server = new FileTransferHarness(FileTransferHarness.settings(spool, "ttl", "1 hour",
                    "sweep-interval", "10 ms"), FileTransferPlugin::new);
            server.start();
            TestSession a = server.connect("alice");
            server.connect("bob");
            server.offerOk(a, "bob", "a.txt", randomBytes(10, 1));
            assertThat(filesIn(spool)).hasSize(2);

            server.clock().advance(Duration.ofHours(2));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (Stream<Path> files = Files.list(spool)) {
                    if (files.findAny().isEmpty()) {
                        break;
                    }
                }
                Thread.onSpinWait();
            }
            assertThat(filesIn(spool)).isEmpty();
        }
    }

    @Nested
    @DisplayName("Guests")
    class Guests {
        @Test
        @DisplayName("a file offered to a guest is deleted when its session ends (after the resume grace)")
        void endsWithSession() throws Exception {
            String id = sendFile(alice, "carol", "a.bin", randomBytes(1000, 1));
            assertThat(filesIn(spool)).hasSize(2);

            server.end(carol);

            assertThat(filesIn(spool)).isEmpty();
            assertThat(server.send(server.connect("carol"), "FETCH " + id).code()).isEqualTo("NO_SUCH_FILE");
        }

        @Test
        @DisplayName("a file offered to a room stays for its other members when a guest member's session ends")
        void roomKeepsOthers() throws Exception {
            server.directory().join("#ops", alice, bob, carol);
            String id = sendFile(alice, "#ops", "a.bin", randomBytes(1000, 1));

            server.end(carol);

            assertThat(server.send(bob, "FILES").data()).extracting(f -> f.param(0)).containsExactly(id);
        }

        @Test
        @DisplayName("files offered to guests are deleted at a restart; an account's stay")
        void restart() throws Exception {
            sendFile(alice, "carol", "guest.bin", randomBytes(1000, 1));
            String kept = sendFile(alice, "bob", "account.bin", randomBytes(1000, 2));

            server.restart();

            assertThat(filesIn(spool)).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder(kept + ".file", kept + ".properties");
            assertThat(server.send(carol, "FILES").toString()).isEqualTo("OK FILES 0");
        }
    }

    @Nested
    @DisplayName("Restart")
    class Restart {
        @Test
        @DisplayName("a new plugin on the same spool keeps unexpired files and unfinished uploads")
        void keepsState() throws Exception {
            byte[] complete = randomBytes(MB, 1);
            byte[] partial = randomBytes(2 * MB, 2);
            String doneId = sendFile(alice, "bob", "done.bin", complete);
            String partId = server.offerOk(alice, "bob", "part.bin", partial);
            server.upload(alice, partId, partial, 0, MB, CHUNK);

            server.restart();

            assertThat(server.send(bob, "FILES").data()).extracting(f -> f.param(0)).containsExactly(doneId);
            assertThat(server.fetch(bob, doneId, 0)).isEqualTo(complete);
            assertThat(server.offer(alice, "bob", "part.bin", partial).toString())
                    .isEqualTo("OK OFFER " + partId + " " + MB);
            assertThat(server.upload(alice, partId, partial, MB, partial.length, CHUNK).isOk())
                    .as("the checksum still verifies after the restart").isTrue();
            assertThat(server.fetch(bob, partId, 0)).isEqualTo(partial);
        }

        @Test
        @DisplayName("checksum at the end: an upload whose every byte arrived before a restart is sealed after it; a wrong SEAL discards it")
        void sealedAfterRestart() throws Exception {
            byte[] content = randomBytes(2 * MB, 3);
            byte[] other = randomBytes(MB, 4);
            String id = server.offer(alice, "bob", "late.bin", content.length, "-").param(0);
            String wrong = server.offer(alice, "bob", "wrong.bin", other.length, "-").param(0);
            assertThat(server.upload(alice, id, content, 0, content.length, CHUNK).toString())
                    .as("the last chunk of an upload offered with -").isEqualTo("OK CHUNK " + id + " " + content.length);
            server.upload(alice, wrong, other, 0, other.length, CHUNK);
            assertThat(server.send(bob, "FILES").toString()).as("not complete before SEAL").isEqualTo("OK FILES 0");

            server.restart();

            assertThat(server.send(bob, "FILES").toString()).isEqualTo("OK FILES 0");
            assertThat(server.offer(alice, "bob", "late.bin", content.length, "-").toString())
                    .as("only the SEAL is missing").isEqualTo("OK OFFER " + id + " " + content.length);
            assertThat(server.send(alice, "SEAL " + id + " " + sha256(content)).toString())
                    .isEqualTo("OK SEAL " + id + " " + content.length);
            assertThat(server.send(bob, "FILES").data()).extracting(f -> f.param(3)).containsExactly(sha256(content));
            assertThat(server.fetch(bob, id, 0)).isEqualTo(content);

            assertThat(server.send(alice, "SEAL " + wrong + " " + sha256(content)).code()).isEqualTo("CHECKSUM_MISMATCH");
            assertThat(filesIn(spool)).extracting(p -> p.getFileName().toString()).noneMatch(n -> n.startsWith(wrong));
        }

        @Test
        @DisplayName("files that expired while the server was down are deleted at start")
        void expiredAtStart() throws Exception {
            sendFile(alice, "bob", "a.bin", randomBytes(1000, 1));
            server.clock().advance(Duration.ofHours(2));

            server.restart();

            assertThat(filesIn(spool)).isEmpty();
        }

        @Test
        @DisplayName("quota still counts files kept across the restart")
        void quotaAcrossRestart() throws Exception {
            long six = 6L * 1024 * 1024;
            assertThat(server.offer(alice, "bob", "one", six, "1".repeat(64)).isOk()).isTrue();
            server.restart();
            assertThat(server.offer(alice, "bob", "two", six, "2".repeat(64)).code()).isEqualTo("QUOTA_EXCEEDED");
        }
    }

    @Nested
    @DisplayName("FETCH flow control")
    class FlowControl {
        @Test
        @DisplayName("a client that does not read gets no more than the window; once it reads, the rest follows")
        void window() throws Exception {
            byte[] content = randomBytes(2 * MB, 4);
            String id = sendFile(alice, "bob", "big.bin", content);
            bob.clearEvents();
            bob.stopReading();
            long before = bob.sentBytes();

            CompletableFuture<Answer> fetch = server.submit(bob, Frame.of("FETCH").param(id).build());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bob.sentBytes() - before < 256 * 1024 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            // Give the stream many poll intervals to (wrongly) send more.
            Thread.sleep(100);

            long window = 256 * 1024;
            long oneChunk = 64 * 1024 + 100;
            assertThat(bob.sentBytes() - before).isBetween(window, window + oneChunk);
            assertThat(fetch).isNotDone();

            // While the FETCH is stalled, other events still reach the session.
            sendFile(carol, "bob", "meanwhile.txt", randomBytes(10, 1));
            assertThat(bob.events("FILE")).hasSize(1);

            bob.resumeReading();
            Answer answer = fetch.get(20, TimeUnit.SECONDS);
            assertThat(answer.toString()).isEqualTo("OK FETCH " + id + " " + 2 * MB + " " + sha256(content));
            assertThat(chunkBytes(bob, id, 0)).isEqualTo(content);
        }

        @Test
        @DisplayName("a FETCH whose connection closes stops reading")
        void closed() throws Exception {
            byte[] content = randomBytes(MB, 4);
            String id = sendFile(alice, "bob", "big.bin", content);
            bob.stopReading();
            CompletableFuture<Answer> fetch = server.submit(bob, Frame.of("FETCH").param(id).build());

            server.disconnect(bob);

            assertThat(fetch.get(10, TimeUnit.SECONDS).isOk()).isFalse();
        }
    }
}
