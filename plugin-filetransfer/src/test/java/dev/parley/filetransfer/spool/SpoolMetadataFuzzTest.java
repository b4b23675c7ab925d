package dev.parley.filetransfer.spool;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the spool's sidecar reader and start-up: whatever a sidecar holds (and however long
 * its part file is), {@link SpoolMetadata#read} answers an entry or an IOException, and a spool opened over it
 * starts, never throws, and never touches a file outside its directory. Replays the saved inputs in a normal
 * build; {@code JAZZER_FUZZ=1} fuzzes (see docs/fuzzing.md).
 */
class SpoolMetadataFuzzTest {
    private static final String ID = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    @FuzzTest(maxDuration = "30s")
    void loadSidecar(FuzzedDataProvider data) throws IOException {
        int partBytes = data.consumeInt(-1, 4096);
        byte[] sidecar = data.consumeRemainingAsBytes();
        Path root = Files.createTempDirectory("spool-fuzz");
        try {
            Path dir = Files.createDirectories(root.resolve("spool"));
            Path meta = dir.resolve(ID + ".properties");
            Files.write(meta, sidecar);
            if (partBytes >= 0) {
                Files.write(dir.resolve(ID + ".part"), new byte[partBytes]);
            }
            try {
                SpoolEntry entry = SpoolMetadata.read(meta);
                assertThat(FileIds.isWellFormed(entry.offer.id())).isTrue();
                assertThat(entry.offer.size()).isPositive();
            } catch (IOException malformed) {
                // the expected answer to a broken sidecar
            }
            FileSpool spool = FileSpool.open(dir, 1 << 20, 1 << 30, Duration.ofHours(1), CLOCK, Runnable::run);
            spool.sweep();
            try (Stream<Path> outside = Files.list(root)) {
                assertThat(outside).as("nothing written beside the spool").containsExactly(dir);
            }
        } finally {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
