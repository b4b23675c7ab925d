package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoredMessage;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that appends through the group commit is killed with SIGKILL while appends are in flight; every
 * append whose stage had completed is in the store afterwards.
 */
@DisplayName("The SQLite store after kill -9")
class KillNineTest {
    private static final int ACKNOWLEDGED_BEFORE_KILL = 3_000;

    @TempDir
    Path home;

    @Test
    @DisplayName("keeps every append that was acknowledged, and numbering continues after it")
    void keepsAcknowledgedAppends() throws Exception {
        String classPath = String.join(File.pathSeparator, Path.of("target/test-classes").toAbsolutePath().toString(),
                Path.of("target/classes").toAbsolutePath().toString(), System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, Appender.class.getName(), home.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long acknowledged = 0;
        try (BufferedReader acks = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < ACKNOWLEDGED_BEFORE_KILL && (line = acks.readLine()) != null) {
                acknowledged = Long.parseLong(line);
            }
            // SIGKILL through the handle: Process.destroyForcibly would also close the pipe still to be read.
            child.toHandle().destroyForcibly();
            // Acknowledgements already written before the kill count too.
            while ((line = acks.readLine()) != null) {
                acknowledged = Long.parseLong(line);
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("the child acknowledged appends").isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

        try (MessageStore store = SqliteMessageStoreTest.open(home)) {
            long last = store.lastMsgId("#lobby").orElseThrow();
            assertThat(last).isGreaterThanOrEqualTo(acknowledged);
            assertThat(store.page("#lobby", Page.before(new dev.parley.core.spi.store.Ref.MsgId(acknowledged + 1),
                    ACKNOWLEDGED_BEFORE_KILL)).stream().map(StoredMessage::msgid).toList())
                    .as("the last %d acknowledged msgids", ACKNOWLEDGED_BEFORE_KILL)
                    .containsExactlyElementsOf(java.util.stream.LongStream
                            .rangeClosed(acknowledged - ACKNOWLEDGED_BEFORE_KILL + 1, acknowledged).boxed().toList());
            assertThat(store.page("#lobby", Page.latest(1_000_000))).hasSize((int) last);
            store.append(new StoredMessage("#lobby", last + 1, Instant.now(), "a", "#lobby", "after"))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** The child: appends msgids 1, 2, ... pipelined, and prints each msgid once its stage completed, in order. */
    public static final class Appender {
        public static void main(String[] args) throws Exception {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            MessageStore store = new JdbcStoreProvider().open(
                    ConfigFactory.parseMap(Map.of("url", "jdbc:sqlite:data/parley.db")), Path.of(args[0]));
            Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
            long next = 1;
            long acknowledged = 0;
            while (true) {
                while (inFlight.size() < 512) {
                    inFlight.addLast(store.append(new StoredMessage("#lobby", next++, Instant.now(), "alice",
                            "#lobby", "message")).toCompletableFuture());
                }
                inFlight.removeFirst().get(30, TimeUnit.SECONDS);
                out.println(++acknowledged);
            }
        }
    }
}
