package dev.parley.filetransfer;

import static dev.parley.filetransfer.harness.FileTransferHarness.randomBytes;
import static dev.parley.filetransfer.harness.FileTransferHarness.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.Frame;
import dev.parley.testkit.EmbeddedServer;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who a file belongs to, over real sockets with the real chat (nicks) and auth (accounts) plugins: an offer to
 * a guest is that guest session's, an offer to an authenticated recipient its account's; quotas count per
 * account, or per address for guests.
 */
@DisplayName("Files and quotas belong to sessions and accounts, not to nicks")
class GuestFilesTest {
    /** The password {@code secret-pw}, hashed as {@code parley hash-password} does. */
    private static final String DAVE_HASH =
            "pbkdf2-sha256$210000$F+009gTD6rQUrfFOzeXG7Q==$FPZyLN8OGUtuGLD7ckQrFeeAwwj4piAZ4sbcDJNzEu4=";
    private static final long SIX_MIB = 6L * 1024 * 1024;

    @TempDir
    Path temp;
    EmbeddedServer server;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedServer.start(ConfigFactory.parseMap(Map.of(
                        "parley.filetransfer.spool-dir", temp.resolve("spool").toString(),
                        "parley.filetransfer.max-file-bytes", "8 MiB",
                        "parley.filetransfer.quota-bytes", "10 MiB",
                        "parley.auth.users.dave", DAVE_HASH)),
                ParleyTestKit.findPlugin("chat"), ParleyTestKit.findPlugin("auth"), new FileTransferPlugin());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private LineClient guest(String nick) throws Exception {
        LineClient client = server.connect();
        assertThat(client.send("NICK " + nick).reply()).startsWith("OK NICK " + nick);
        return client;
    }

    /** Takes a nick that an ended session held: the server frees it once that session's end is processed. */
    private LineClient successor(String nick) throws Exception {
        LineClient client = server.connect();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String reply = client.send("NICK " + nick).reply();
        while (reply.startsWith("ERR NICK NICK_IN_USE") && System.nanoTime() < deadline) {
            reply = client.send("NICK " + nick).reply();
        }
        assertThat(reply).startsWith("OK NICK " + nick);
        return client;
    }

    /** Offers and uploads the content in one chunk; returns the file id. */
    private static String send(LineClient from, String to, String name, byte[] content) throws Exception {
        Frame reply = from.send(Frame.of("OFFER").params(to, name, Integer.toString(content.length), sha256(content))
                .build()).replyFrame();
        assertThat(reply.toString()).startsWith("OK OFFER");
        String id = reply.param(1);
        assertThat(from.send(Frame.of("CHUNK").params(id, "0").payload(content).build()).reply())
                .isEqualTo("OK CHUNK " + id + " " + content.length);
        return id;
    }

    private static void quit(LineClient client) {
        client.send("QUIT");
        client.awaitClosed();
    }

    @Test
    @DisplayName("a file offered to a guest is not listed or fetched by the next holder of its nick: NO_SUCH_FILE")
    void nextHolderOfTheNick() throws Exception {
        try (LineClient alice = guest("alice"); LineClient bob = guest("bob")) {
            String id = send(alice, "bob", "secret.txt", "top secret".getBytes());
            assertThat(bob.event()).startsWith("OFFERED " + id);
            assertThat(bob.event()).startsWith("FILE " + id);
            quit(bob);

            try (LineClient mallory = successor("bob")) {
                assertThat(mallory.send("FILES").reply()).isEqualTo("OK FILES 0");
                assertThat(mallory.send("FETCH " + id).reply()).startsWith("ERR FETCH NO_SUCH_FILE");
            }
        }
    }

    @Test
    @DisplayName("a file offered to an authenticated recipient is its account's: listed and fetched from its next session")
    void account() throws Exception {
        byte[] content = "for dave's account".getBytes();
        try (LineClient alice = guest("alice"); LineClient dave = server.connect()) {
            assertThat(dave.send("AUTH dave secret-pw").reply()).startsWith("OK AUTH");
            assertThat(dave.send("NICK dave").reply()).startsWith("OK NICK dave");
            String id = send(alice, "dave", "note.txt", content);
            quit(dave);

            try (LineClient again = server.connect()) {
                assertThat(again.send("AUTH dave secret-pw").reply()).startsWith("OK AUTH");
                assertThat(again.send("NICK robert").reply()).startsWith("OK NICK robert");
                assertThat(again.send("FILES").reply()).isEqualTo("OK FILES 1");
                assertThat(again.send("FETCH " + id).reply()).startsWith("OK FETCH " + id + " " + content.length);
            }
        }
    }

    @Test
    @DisplayName("a guest's quota counts per address: neither a NICK rename nor a second connection gets a fresh one")
    void quotaPerAddress() throws Exception {
        try (LineClient alice = guest("alice"); LineClient bob = guest("bob")) {
            assertThat(alice.send("OFFER bob one " + SIX_MIB + " " + "1".repeat(64)).reply()).startsWith("OK OFFER");
            assertThat(alice.send("NICK alice2").reply()).startsWith("OK NICK alice2");
            assertThat(alice.send("OFFER bob two " + SIX_MIB + " " + "2".repeat(64)).reply())
                    .startsWith("ERR OFFER QUOTA_EXCEEDED");
            try (LineClient other = guest("carol")) {
                assertThat(other.send("OFFER bob three " + SIX_MIB + " " + "3".repeat(64)).reply())
                        .startsWith("ERR OFFER QUOTA_EXCEEDED");
            }
        }
    }

    @Test
    @DisplayName("the sender re-offering an identical half-sent file from a new session resumes it")
    void senderResumes() throws Exception {
        byte[] content = randomBytes(1000, 3);
        try (LineClient dave = server.connect()) {
            assertThat(dave.send("AUTH dave secret-pw").reply()).startsWith("OK AUTH");
            assertThat(dave.send("NICK dave").reply()).startsWith("OK NICK dave");
            String offer = "OFFER dave a.bin 1000 " + sha256(content);
            String id;
            try (LineClient alice = guest("alice")) {
                id = alice.send(offer).replyFrame().param(1);
                byte[] half = java.util.Arrays.copyOf(content, 400);
                assertThat(alice.send(Frame.of("CHUNK").params(id, "0").payload(half).build()).reply())
                        .isEqualTo("OK CHUNK " + id + " 400");
                quit(alice);
            }
            try (LineClient alice = successor("alice")) {
                assertThat(alice.send(offer).reply()).isEqualTo("OK OFFER " + id + " 400");
            }
        }
    }
}
