package dev.parley.launcher.client.files;

import dev.parley.client.files.FileOffer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger by which a second {@code parley receive} skips what an earlier run delivered. Files offered to a
 * guest end with its session (docs/protocol.md, "Who a file belongs to"), so over sockets the case arises for
 * files kept for an account; the ledger itself is tested here.
 */
@DisplayName("parley receive's ledger of delivered files")
class ReceivedFilesTest {
    @TempDir
    Path dir;

    private static final FileOffer REPORT = new FileOffer("f7", "alice", 5, "AB12", "report.bin");

    @Test
    @DisplayName("a file recorded by an earlier run, still there whole, is found by the next run")
    void recordedFileIsFound() throws Exception {
        Path saved = Files.writeString(dir.resolve("report.bin"), "12345");
        ReceivedFiles.in(dir).record(REPORT, saved);
        assertThat(ReceivedFiles.in(dir).already(REPORT)).contains(saved);
        assertThat(ReceivedFiles.in(dir).already(new FileOffer("f7", "alice", 5, "ab12", "report.bin")))
                .as("the hash compares case-insensitively").contains(saved);
    }

    @Test
    @DisplayName("a deleted or truncated file, another id or another hash is fetched again")
    void otherwiseFetchedAgain() throws Exception {
        Path saved = Files.writeString(dir.resolve("report.bin"), "12345");
        ReceivedFiles.in(dir).record(REPORT, saved);
        assertThat(ReceivedFiles.in(dir).already(new FileOffer("f8", "alice", 5, "AB12", "report.bin"))).isEmpty();
        assertThat(ReceivedFiles.in(dir).already(new FileOffer("f7", "alice", 5, "CD34", "report.bin"))).isEmpty();
        Files.writeString(saved, "123");
        assertThat(ReceivedFiles.in(dir).already(REPORT)).isEmpty();
        Files.delete(saved);
        assertThat(ReceivedFiles.in(dir).already(REPORT)).isEmpty();
    }

    @Test
    @DisplayName("an OFFERED without its checksum (-) matches by id and size, both ways")
    void checksumAtTheEnd() throws Exception {
        Path saved = Files.writeString(dir.resolve("report.bin"), "12345");
        ReceivedFiles.in(dir).record(new FileOffer("f9", "alice", 5, "-", "report.bin"), saved);
        assertThat(ReceivedFiles.in(dir).already(new FileOffer("f9", "alice", 5, "ab12", "report.bin"))).contains(saved);
        assertThat(ReceivedFiles.in(dir).already(new FileOffer("f9", "alice", 6, "ab12", "report.bin"))).isEmpty();
        ReceivedFiles.in(dir).record(REPORT, saved);
        assertThat(ReceivedFiles.in(dir).already(new FileOffer("f7", "alice", 5, "-", "report.bin"))).contains(saved);
    }

    @Test
    @DisplayName("a damaged ledger line costs a download, never a refusal")
    void damagedLine() throws Exception {
        Files.writeString(dir.resolve(ReceivedFiles.FILE_NAME), "garbage\n");
        assertThat(ReceivedFiles.in(dir).already(REPORT)).isEmpty();
    }
}
