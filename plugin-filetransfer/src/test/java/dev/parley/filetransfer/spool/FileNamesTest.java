package dev.parley.filetransfer.spool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("File names and ids")
class FileNamesTest {

    @ParameterizedTest(name = "''{0}'' shows as ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "report.pdf|report.pdf",
            "../../../../evil|evil",
            "..\\..\\windows\\evil.exe|evil.exe",
            "/etc/passwd|passwd",
            ".bashrc|bashrc",
            "dir/ spaced.txt |spaced.txt",
            "na\u00efve-\u65e5\u672c.txt|na\u00efve-\u65e5\u672c.txt"})
    @DisplayName("a name keeps only its last segment, without leading dots")
    void sanitised(String given, String shown) {
        assertThat(FileNames.sanitise(given)).contains(shown);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "..", "/", "dir/", "a\u0000b", "a\nb", "a\u001bb", "a\u007fb", "a\u009bb"})
    @DisplayName("a name that is empty, only a path, or holds control characters is refused")
    void refused(String given) {
        assertThat(FileNames.sanitise(given)).isEmpty();
    }

    @Test
    @DisplayName("ids are 26 base32 characters, well-formed and distinct")
    void ids() {
        String a = FileIds.next();
        String b = FileIds.next();
        assertThat(a).matches("[a-z2-7]{26}");
        assertThat(FileIds.isWellFormed(a)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(FileIds.isWellFormed("../" + a.substring(3))).isFalse();
        assertThat(FileIds.isWellFormed(a.toUpperCase())).isFalse();
    }
}
