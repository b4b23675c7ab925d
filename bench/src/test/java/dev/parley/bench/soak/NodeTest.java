package dev.parley.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTest {

    @Test
    @DisplayName("with --upgrade-from a node starts on the old distribution and runs the new one once restarted")
    void upgradeOnRestart(@TempDir Path tmp) throws Exception {
        Path previous = distribution(tmp.resolve("previous"));
        Path current = distribution(tmp.resolve("current"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        SoakSettings settings = new SoakSettings(current, Duration.ofSeconds(1), 1, 3, 1, 1, 10, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, "memory:", "64m", out, Set.of("rolling"), previous);
        Node node = new Node(0, 1, 2, out.resolve("n1.conf"), settings);
        try {
            node.start();
            node.awaitListening(Duration.ofSeconds(10));
            node.term(Duration.ofSeconds(10));
            node.startListening(Duration.ofSeconds(10));
            node.term(Duration.ofSeconds(10));
            node.startListening(Duration.ofSeconds(10));
        } finally {
            node.kill9();
        }
        assertThat(Files.readAllLines(node.logFile()).stream().filter(l -> l.contains(" listening on ")))
                .containsExactly("previous listening on 1", "current listening on 1", "current listening on 1");
    }

    @Test
    @DisplayName("a node that ignores SIGTERM is killed, and what it and the soak's copier of its output were doing is kept")
    void stalledStopIsDumped(@TempDir Path tmp) throws Exception {
        Path stubborn = distribution(tmp.resolve("stubborn"), "trap '' TERM\n");
        Path out = Files.createDirectories(tmp.resolve("out"));
        SoakSettings settings = new SoakSettings(stubborn, Duration.ofSeconds(1), 1, 3, 1, 1, 10, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, "memory:", "64m", out, Set.of("term"));
        Node node = new Node(0, 1, 2, out.resolve("n1.conf"), settings);
        node.startListening(Duration.ofSeconds(10));
        assertThat(node.term(Duration.ofMillis(500))).isFalse();
        assertThat(node.alive()).isFalse();
        try (var files = Files.list(out)) {
            Path dump = files.filter(f -> f.getFileName().toString().startsWith("node-1-stalled-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readString(dump)).contains("the soak's copier of this node's output", "soak-node-1");
        }
    }

    /** A stand-in distribution whose bin/parley says which it is, listens, and waits to be stopped. */
    private static Path distribution(Path home) throws IOException {
        return distribution(home, "");
    }

    private static Path distribution(Path home, String prologue) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path parley = bin.resolve("parley");
        Files.writeString(parley, "#!/bin/sh\n" + prologue + "echo \"" + home.getFileName() + " listening on 1\"\n"
                + "exec sleep 60\n");
        Files.setPosixFilePermissions(parley, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
