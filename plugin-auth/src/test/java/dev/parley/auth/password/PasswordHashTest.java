package dev.parley.auth.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHashTest {
    /** Few iterations where the strength is beside the point, so the tests stay fast. */
    private static final int CHEAP = 1000;

    @Test
    @DisplayName("a new hash reads pbkdf2-sha256$210000$<16-byte salt>$<32-byte hash> and verifies its password")
    void format() {
        PasswordHash hash = PasswordHash.create("s3cret pass".toCharArray());
        String text = hash.toString();
        assertThat(text).matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+");
        String[] fields = text.split("\\$");
        assertThat(Base64.getDecoder().decode(fields[2])).hasSize(16);
        assertThat(Base64.getDecoder().decode(fields[3])).hasSize(32);
        assertThat(PasswordHash.parse(text).verify("s3cret pass")).isTrue();
        assertThat(hash.iterations()).isGreaterThanOrEqualTo(210_000);
    }

    @Test
    @DisplayName("the same password never hashes the same: a fresh salt each time, both verify")
    void differentSalts() {
        PasswordHash a = PasswordHash.create("same".toCharArray(), CHEAP);
        PasswordHash b = PasswordHash.create("same".toCharArray(), CHEAP);
        assertThat(a.toString()).isNotEqualTo(b.toString());
        assertThat(a.toString().split("\\$")[2]).isNotEqualTo(b.toString().split("\\$")[2]);
        assertThat(a.verify("same")).isTrue();
        assertThat(b.verify("same")).isTrue();
    }

    @Test
    @DisplayName("a wrong password, or one differing in case or by a character, does not verify")
    void wrongPassword() {
        PasswordHash hash = PasswordHash.create("Secret".toCharArray(), CHEAP);
        assertThat(hash.verify("secret")).isFalse();
        assertThat(hash.verify("Secret ")).isFalse();
        assertThat(hash.verify("")).isFalse();
    }

    @Test
    @DisplayName("tampering with the iterations, the salt or the hash makes the right password fail")
    void tamper() {
        String text = PasswordHash.create("pw".toCharArray(), CHEAP).toString();
        String[] f = text.split("\\$");
        assertThat(PasswordHash.parse(String.join("$", f[0], "1001", f[2], f[3])).verify("pw")).isFalse();
        assertThat(PasswordHash.parse(String.join("$", f[0], f[1], flip(f[2]), f[3])).verify("pw")).isFalse();
        assertThat(PasswordHash.parse(String.join("$", f[0], f[1], f[2], flip(f[3]))).verify("pw")).isFalse();
        assertThat(PasswordHash.parse(text).verify("pw")).as("the original still verifies").isTrue();
    }

    @ParameterizedTest(name = "refuses \"{0}\"")
    @ValueSource(strings = {"", "pbkdf2-sha256", "bcrypt$10$abc$def", "pbkdf2-sha256$x$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",
            "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "pbkdf2-sha256$1000$not base64!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "pbkdf2-sha256$1000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",
            "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=$extra"})
    void malformed(String text) {
        assertThatThrownBy(() -> PasswordHash.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("AAAA");
    }

    @Test
    @DisplayName("an empty password cannot be hashed")
    void empty() {
        assertThatThrownBy(() -> PasswordHash.create(new char[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    /** The text with one base64 character changed (the first, so padding stays valid). */
    private static String flip(String b64) {
        return (b64.charAt(0) == 'A' ? 'B' : 'A') + b64.substring(1);
    }
}
