package dev.parley.launcher.client;

import dev.parley.launcher.ParleyProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client subcommands of the packaged distribution as real processes against a real {@code bin/parley
 * server}: the module graph of {@code java -p lib -m ...} with JLine and without surefire's opens.
 */
class ClientDistributionIT {

    @TempDir
    Path tmp;

    private final List<ParleyProcess> started = new ArrayList<>();
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        // A spool and a store of its own: the distribution's spool/ keeps what an earlier run sent to bob for a
        // day, and offered it to this run's 'receive --count 1', which then quit before this run's file arrived;
        // its data/parley.db would keep this run's messages for the next run and for whoever starts it next.
        Path config = Files.writeString(tmp.resolve("parley.conf"),
                "parley.filetransfer.spool-dir = \"" + tmp.resolve("spool") + "\"\n"
                        + "parley.store.url = \"jdbc:sqlite:" + tmp.resolve("data/parley.db") + "\"\n");
        ParleyProcess server = start(tmp, "server", "--port", "0", "--config", config.toString());
        port = server.awaitPort();
    }

    @AfterEach
    void stopAll() {
        started.forEach(parley -> parley.process.destroyForcibly());
    }

    @Test
    @DisplayName("printf '/join #lobby\\nhello\\n/quit\\n' | parley chat delivers hello and exits 0")
    void pipedChat() throws Exception {
        try (RawClient bob = RawClient.member(port, "bob", "#lobby")) {
            ParleyProcess chat = start(tmp, "chat", "--port", Integer.toString(port), "--nick", "cli");
            try (OutputStream stdin = chat.process.getOutputStream()) {
                stdin.write("/join #lobby\nhello\n/who\n/quit\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(bob.await(line -> line.contains(" MSG "))).endsWith("MSG #lobby cli :hello");
            assertThat(chat.awaitExit()).as(chat::output).isZero();
            assertThat(chat.output()).contains("-!- You joined #lobby", "-!- #lobby (2): bob, cli")
                    .doesNotContain("\u001b").doesNotContain("Exception");
        }
    }

    @Test
    @DisplayName("parley chat against a port nobody listens on: one line, exit 1")
    void refused() throws Exception {
        ParleyProcess chat = start(tmp, "chat", "--port", "1", "--nick", "cli");
        chat.process.getOutputStream().close();
        assertThat(chat.awaitExit()).isEqualTo(1);
        assertThat(chat.output()).isEqualTo("parley: cannot connect to 127.0.0.1:1: Connection refused"
                + " — is the server running? Start it with 'parley server'.\n");
    }

    @Test
    @DisplayName("parley send and parley receive move a 3 MB file intact")
    void sendAndReceive() throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024 + 5];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(tmp.resolve("photo.raw"), bytes);
        Path inbox = tmp.resolve("inbox");
        ParleyProcess receive = start(tmp, "receive", "--port", Integer.toString(port), "--nick", "bob",
                "--dir", inbox.toString(), "--count", "1");
        receive.process.getOutputStream().close();
        // send refuses an offer to a nick that is not online yet: retry until the receiver is registered.
        ParleyProcess send;
        do {
            send = start(tmp, "send", "--port", Integer.toString(port), "--nick", "alice", "--to", "bob",
                    file.toString());
            send.process.getOutputStream().close();
        } while (send.awaitExit() != 0 && send.output().contains("NO_SUCH_NICK"));
        assertThat(send.awaitExit()).as(send::output).isZero();
        assertThat(receive.awaitExit()).as(receive::output).isZero();
        assertThat(receive.output()).contains("received photo.raw (3.0 MiB) from alice as ");
        assertThat(Files.mismatch(file, inbox.resolve("photo.raw"))).isEqualTo(-1L);
    }

    @Test
    @DisplayName("send, receive and chat log in with --account on a server that requires it; the password is never shown")
    void accounts() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("auth"));
        Path config = Files.writeString(dir.resolve("parley.conf"),
                "parley.plugins = [chat, filetransfer, heartbeat, auth]\n"
                        + "parley.auth { required = true, registration = open }\n"
                        + "parley.filetransfer.spool-dir = \"" + dir.resolve("spool") + "\"\n"
                        + "parley.store.url = \"jdbc:sqlite:" + dir.resolve("data/parley.db") + "\"\n");
        ParleyProcess authServer = start(dir, "server", "--port", "0", "--config", config.toString());
        int authPort = authServer.awaitPort();
        String password = "correct horse battery";
        for (String account : new String[] {"alice", "bob"}) {
            try (RawClient client = new RawClient(authPort)) {
                client.send("REGISTER " + account + " :" + password);
                assertThat(client.await(line -> line.startsWith("OK") || line.startsWith("ERR")))
                        .isEqualTo("OK REGISTER " + account);
            }
        }
        Path file = Files.write(dir.resolve("notes.txt"), "for bob only\n".getBytes(StandardCharsets.UTF_8));
        Path inbox = dir.resolve("inbox");
        ParleyProcess receive = start(dir, java.util.Map.of("PARLEY_PASSWORD", password), "receive", "--port",
                Integer.toString(authPort), "--account", "bob", "--nick", "bob", "--dir", inbox.toString(), "--count", "1");
        receive.process.getOutputStream().close();
        ParleyProcess send;
        do {
            send = start(dir, java.util.Map.of(), "send", "--port", Integer.toString(authPort), "--account", "alice",
                    "--nick", "alice", "--to", "bob", file.toString());
            try (OutputStream stdin = send.process.getOutputStream()) {
                stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } while (send.awaitExit() != 0 && send.output().contains("NO_SUCH_NICK"));
        assertThat(send.awaitExit()).as(send::output).isZero();
        assertThat(receive.awaitExit()).as(receive::output).isZero();
        assertThat(Files.readString(inbox.resolve("notes.txt"))).isEqualTo("for bob only\n");

        ParleyProcess wrong = start(dir, java.util.Map.of("PARLEY_PASSWORD", "not it"), "chat", "--port",
                Integer.toString(authPort), "--account", "alice", "--nick", "alice");
        wrong.process.getOutputStream().close();
        assertThat(wrong.awaitExit()).isEqualTo(1);
        assertThat(wrong.output()).startsWith("parley: cannot log in as 'alice': ").endsWith("(BAD_CREDENTIALS)\n");
        for (ParleyProcess p : List.of(receive, send, wrong, authServer)) {
            assertThat(p.output()).doesNotContain(password).doesNotContain("not it");
        }
    }

    private ParleyProcess start(Path workDir, java.util.Map<String, String> environment, String... args)
            throws IOException {
        ParleyProcess parley = ParleyProcess.start(workDir, environment, args);
        started.add(parley);
        return parley;
    }

    private ParleyProcess start(Path workDir, String... args) throws IOException {
        ParleyProcess parley = ParleyProcess.start(workDir, args);
        started.add(parley);
        return parley;
    }

}
