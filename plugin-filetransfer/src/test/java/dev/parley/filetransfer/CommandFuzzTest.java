package dev.parley.filetransfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.core.protocol.Frame;
import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.TestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coverage-guided fuzzing of every command's argument handling, through core's parser and dispatcher with the
 * chat, auth and filetransfer plugins: whatever the arguments, each command gets exactly one final reply, never
 * {@code INTERNAL} (a handler that threw), and the session goes on answering. Replays the saved inputs in a
 * normal build; {@code JAZZER_FUZZ=1} fuzzes (see docs/fuzzing.md).
 */
class CommandFuzzTest {
    /** Every verb the loaded plugins and core offer but QUIT, which ends the session on purpose. */
    private static final List<String> VERBS = List.of("ANNOUNCE", "AUTH", "CHUNK", "FETCH", "FILES", "HELP", "HISTORY",
            "JOIN", "KICK", "NICK", "OFFER", "PART", "PING", "RESUME", "ROOMS", "SAY", "TELL", "TOPIC", "WHO");
    private static final String DAVE_HASH =
            "pbkdf2-sha256$210000$F+009gTD6rQUrfFOzeXG7Q==$FPZyLN8OGUtuGLD7ckQrFeeAwwj4piAZ4sbcDJNzEu4=";
    private static final AtomicLong NICKS = new AtomicLong();
    private static ParleyTestKit kit;

    private static synchronized ParleyTestKit kit() {
        if (kit == null) {
            Path spool;
            try {
                spool = Files.createTempDirectory("command-fuzz-spool");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            kit = ParleyTestKit.builder().plugin("chat").plugin("auth").plugin(new FileTransferPlugin())
                    .set("parley.filetransfer.spool-dir", spool.toString())
                    .set("parley.filetransfer.max-file-bytes", "64 KiB")
                    .pluginConfig("auth", "users { dave = \"" + DAVE_HASH + "\" }, failure-delay = 0s")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(kit::close));
        }
        return kit;
    }

    @FuzzTest(maxDuration = "30s")
    void anyCommand(FuzzedDataProvider data) {
        TestClient client = kit().connect();
        try {
            String nick = "fz" + NICKS.incrementAndGet();
            assertThat(client.send("NICK " + nick).reply()).startsWith("OK NICK");
            if (data.consumeBoolean()) {
                client.send("JOIN #fuzz").reply();
            }
            String verb = data.pickValue(VERBS);
            boolean withPayload = data.consumeBoolean();
            byte[] payload = withPayload ? data.consumeBytes(data.consumeInt(0, 2048)) : null;
            String arguments = data.consumeRemainingAsString().replace('\n', ' ').replace('\r', ' ');
            if (withPayload) {
                List<String> params = List.of(arguments.strip().split(" +"));
                Frame frame;
                try {
                    frame = Frame.of(verb).params(params.toArray(String[]::new)).payload(payload).build();
                } catch (IllegalArgumentException notAFrame) {
                    return; // the parameters cannot be written on the wire; the line case covers them
                }
                client.send(frame);
            } else {
                if ((verb + arguments).isBlank()) {
                    return;
                }
                client.send(verb + " " + arguments);
            }
            String reply = client.reply();
            assertThat(reply).as("a final reply, not a handler failure").doesNotContain(" INTERNAL");
            if (!client.isClosed()) {
                assertThat(client.send("HELP").reply()).as("the session still answers after: %s", reply)
                        .startsWith("OK HELP");
            }
        } finally {
            client.close();
        }
    }
}
