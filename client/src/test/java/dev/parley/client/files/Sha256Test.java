package dev.parley.client.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Sha256#of}: read on one thread, hashed on another, in order. */
class Sha256Test {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a file of several 1 MiB pieces and a partial one hashes as its bytes in order; an empty file too")
    void piecesInOrder() throws Exception {
        for (int size : new int[] {0, 1, 1024 * 1024, 5 * 1024 * 1024 + 12_345}) {
            byte[] bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            Path file = Files.write(dir.resolve("f" + size), bytes);
            assertThat(Sha256.of(file)).as("%d bytes", size)
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
    }

    @Test
    @DisplayName("a file that cannot be read is an IOException naming it")
    void unreadable() {
        Path missing = dir.resolve("missing.bin");
        assertThatThrownBy(() -> Sha256.of(missing)).isInstanceOf(IOException.class).hasMessageContaining("missing.bin");
    }
}
