package dev.parley.chat.name;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameTest {

    @Nested
    @DisplayName("a nick")
    class Nicks {
        @ParameterizedTest(name = "accepts \"{0}\"")
        @ValueSource(strings = {"a", "alice", "Bob_2", "x-y.z", "Élodie", "Łukasz", "東京", "αβγ", "٣٤",
                "abcdefghijklmnopqrstuvwxyz012345"})
        void accepts(String raw) {
            assertThat(Name.nick(raw)).isPresent();
        }

        @ParameterizedTest(name = "rejects \"{0}\"")
        @ValueSource(strings = {"", "#alice", "al ice", "alice!", "a:b", "@x", "a*", "☃", "emoji😀",
                "abcdefghijklmnopqrstuvwxyz0123456"})
        void rejects(String raw) {
            assertThat(Name.nick(raw)).isEmpty();
        }

        @Test
        @DisplayName("counts characters, not UTF-16 units: 32 supplementary letters fit")
        void countsCodePoints() {
            String gothic = "𐌰".repeat(32);
            assertThat(gothic.length()).isEqualTo(64);
            assertThat(Name.nick(gothic)).isPresent();
            assertThat(Name.nick(gothic + "𐌰")).isEmpty();
        }

        @Test
        @DisplayName("is normalised to NFC: decomposed Élodie shows and compares as composed Élodie")
        void nfc() {
            String composed = "\u00C9lodie";
            String decomposed = "E\u0301lodie";
            Name a = Name.nick(composed).orElseThrow();
            Name b = Name.nick(decomposed).orElseThrow();
            assertThat(b.display()).isEqualTo(composed);
            assertThat(b.key()).isEqualTo(a.key()).isEqualTo("\u00E9lodie");
        }

        @Test
        @DisplayName("compares case-insensitively with Unicode case folding")
        void caseFolding() {
            assertThat(Name.nick("ALICE").orElseThrow().key()).isEqualTo(Name.nick("alice").orElseThrow().key());
            assertThat(Name.nick("ÉLODIE").orElseThrow().key()).isEqualTo(Name.nick("élodie").orElseThrow().key());
            assertThat(Name.nick("STRASSE").orElseThrow().key()).isEqualTo(Name.nick("straße").orElseThrow().key());
            assertThat(Name.nick("ALICE").orElseThrow().display()).isEqualTo("ALICE");
        }

        @Test
        @DisplayName("already in folded form, shares one string for display and key (one per session, not two)")
        void foldedSharesItsString() {
            Name lower = Name.nick("alice").orElseThrow();
            assertThat(lower.key()).isSameAs(lower.display());
            Name upper = Name.nick("Alice").orElseThrow();
            assertThat(upper.key()).isEqualTo("alice").isNotSameAs(upper.display());
            Name room = Name.room("#lobby").orElseThrow();
            assertThat(room.key()).isSameAs(room.display());
        }
    }

    @Nested
    @DisplayName("a room name")
    class Rooms {
        @ParameterizedTest(name = "accepts \"{0}\"")
        @ValueSource(strings = {"#a", "#lobby", "#Café", "#dev.ops-2_x", "#東京"})
        void accepts(String raw) {
            assertThat(Name.room(raw)).isPresent();
        }

        @ParameterizedTest(name = "rejects \"{0}\"")
        @ValueSource(strings = {"#", "lobby", "##lobby", "#lob by", "#lobby!", "#abcdefghijklmnopqrstuvwxyz0123456"})
        void rejects(String raw) {
            assertThat(Name.room(raw)).isEmpty();
        }

        @Test
        @DisplayName("keeps '#' and folds the rest like a nick")
        void folds() {
            Name room = Name.room("#Cafe\u0301").orElseThrow();
            assertThat(room.display()).isEqualTo("#Caf\u00E9");
            assertThat(room.key()).isEqualTo("#caf\u00E9").isEqualTo(Name.room("#CAFÉ").orElseThrow().key());
        }
    }
}
