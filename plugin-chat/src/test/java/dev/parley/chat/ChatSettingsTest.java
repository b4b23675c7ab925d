package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatSettingsTest {

    @Test
    @DisplayName("defaults come from reference.conf: history 100, 50 rooms, 2000 bytes")
    void defaults() {
        assertThat(ChatSettings.from(ConfigFactory.empty())).isEqualTo(new ChatSettings(100, 50, 2000));
        assertThat(ChatSettings.DEFAULTS).isEqualTo(new ChatSettings(100, 50, 2000));
    }

    @Test
    @DisplayName("reads sizes with units")
    void units() {
        ChatSettings s = ChatSettings.from(ConfigFactory.parseString(
                "history-page = 7, max-rooms-per-session = 3, max-message-bytes = 1 KiB"));
        assertThat(s).isEqualTo(new ChatSettings(7, 3, 1024));
    }

    @ParameterizedTest(name = "{0} = {1} fails naming the key")
    @CsvSource(delimiter = '|', value = {
            "history-page | 0",
            "history-page | lots",
            "history-page | 1001",
            "max-rooms-per-session | 0",
            "max-rooms-per-session | many",
            "max-message-bytes | 0",
            "max-message-bytes | 2 MiB",
            "max-message-bytes | huge"})
    void invalid(String key, String value) {
        assertThatThrownBy(() -> ChatSettings.from(ConfigFactory.parseString(key + " = \"" + value + "\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @Test
    @DisplayName("an unknown key (a typo) fails naming it and the real settings")
    void typo() {
        assertThatThrownBy(() -> ChatSettings.from(ConfigFactory.parseString("histroy-size = 5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parley.chat.histroy-size")
                .hasMessageContaining("history-page");
    }

    @Test
    @DisplayName("history-size, which the store replaced, fails naming history-page and parley.store.retention")
    void retired() {
        assertThatThrownBy(() -> ChatSettings.from(ConfigFactory.parseString("history-size = 100")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parley.chat.history-size")
                .hasMessageContaining("parley.chat.history-page")
                .hasMessageContaining("parley.store.retention");
    }
}
