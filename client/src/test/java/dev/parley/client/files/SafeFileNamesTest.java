package dev.parley.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeFileNamesTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            holiday.jpg          | holiday.jpg
            ../../etc/passwd     | passwd
            ..\\..\\win.ini      | win.ini
            .bashrc              | bashrc
            ...                  | file
            /                    | file
            a\u001bb.txt         | a_b.txt
            what?.txt            | what_.txt
            CON.txt              | _CON.txt
            évé ✓.txt            | évé ✓.txt
            """)
    @DisplayName("a name from the network becomes one plain file name")
    void sanitizes(String given, String safe) {
        assertThat(SafeFileNames.sanitize(given)).isEqualTo(safe);
    }

    @Test
    @DisplayName("a very long name is cut, keeping its extension")
    void long_names() {
        String name = SafeFileNames.sanitize("x".repeat(300) + ".tar.gz");
        assertThat(name).hasSize(200).endsWith(".gz");
    }

    @Test
    @DisplayName("publishing never replaces a file: name (1).ext, name (2).ext")
    void neverOverwrites(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.txt"), "mine");
        Files.writeString(dir.resolve("a (1).txt"), "mine too");
        Path temp = Files.writeString(dir.resolve(".parley-1.part"), "theirs");
        Path published = SafeFileNames.publish(temp, dir, "a.txt");
        assertThat(published).isEqualTo(dir.resolve("a (2).txt")).hasContent("theirs");
        assertThat(dir.resolve("a.txt")).hasContent("mine");
        assertThat(dir.resolve("a (1).txt")).hasContent("mine too");
        assertThat(temp).doesNotExist();
    }

    @Test
    @DisplayName("a name without extension gets its number at the end")
    void noExtension(@TempDir Path dir) {
        assertThat(SafeFileNames.candidate(dir, "README", 3)).isEqualTo(dir.resolve("README (3)"));
    }
}
