package dev.parley.filetransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("FileTransferSettings")
class FileTransferSettingsTest {

    @Test
    @DisplayName("an empty section yields the documented defaults")
    void defaults() {
        FileTransferSettings s = FileTransferSettings.from(ConfigFactory.empty());

        assertThat(s.spoolDir()).isEqualTo(Path.of("spool").toAbsolutePath());
        assertThat(s.maxFileBytes()).isEqualTo(1L << 30);
        assertThat(s.quotaBytes()).isEqualTo(4L << 30);
        assertThat(s.chunkBytes()).isEqualTo(256 * 1024);
        assertThat(s.ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(s.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.fetchWindowBytes()).isEqualTo(1024 * 1024);
        assertThat(s.fetchPollInterval()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    @DisplayName("a relative spool-dir belongs to the distribution when bin/parley set parley.home, else to the cwd")
    void spoolDirResolution() {
        assertThat(FileTransferSettings.spoolDir("spool", "/opt/parley")).isEqualTo(java.nio.file.Path.of("/opt/parley/spool"));
        assertThat(FileTransferSettings.spoolDir("/var/spool/parley", "/opt/parley"))
                .isEqualTo(java.nio.file.Path.of("/var/spool/parley"));
        assertThat(FileTransferSettings.spoolDir("spool", null)).isEqualTo(java.nio.file.Path.of("spool"));
    }

    @Test
    @DisplayName("an unknown key fails with its full name")
    void typo() {
        assertThatThrownBy(() -> FileTransferSettings.from(ConfigFactory.parseMap(Map.of("max-file-byte", "1"))))
                .hasMessageContaining("parley.filetransfer.max-file-byte");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "chunk-bytes, 2 MiB",
            "chunk-bytes, 0",
            "max-file-bytes, 0",
            "quota-bytes, 0",
            "ttl, 0 s",
            "fetch-window-bytes, 0",
            "ttl, soon",
            "quota-bytes, lots"})
    @DisplayName("a bad value fails naming the key")
    void badValues(String key, String value) {
        assertThatThrownBy(() -> FileTransferSettings.from(ConfigFactory.parseMap(Map.of(key, value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }
}
