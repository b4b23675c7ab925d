package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.parley.auth.password.PasswordHash;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthSettingsTest {
    private static final String HASH = PasswordHash.create("pw".toCharArray()).toString();

    private static AuthSettings read(String section) {
        return AuthSettings.from(ConfigFactory.parseString(section));
    }

    @Test
    @DisplayName("defaults: no users, no operators, optional, 5 failures per 5 minutes, answers held back 1s")
    void defaults() {
        AuthSettings s = read("");
        assertThat(s.users()).isEmpty();
        assertThat(s.operators()).isEmpty();
        assertThat(s.required()).isFalse();
        assertThat(s.maxFailures()).isEqualTo(5);
        assertThat(s.failureWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.failureDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    @DisplayName("reads users and operators; an operator may be written in any case")
    void users() {
        AuthSettings s = read("users { Alice = \"" + HASH + "\", bob = \"" + HASH + "\" }, operators = [alice]");
        assertThat(s.users()).containsOnlyKeys("Alice", "bob");
        assertThat(s.operators()).containsExactly("Alice");
    }

    @ParameterizedTest(name = "{0} fails naming {1}")
    @CsvSource(delimiter = '|', value = {
            "users { alice = \"plain text\" }                       | parley.auth.users.alice",
            "users { alice = \"pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" } | parley.auth.users.alice: the hash has 1000 iterations",
            "users { alice = 42 }                                   | parley.auth.users.alice",
            "users { \"al ice\" = \"x\" }                           | parley.auth.users.al ice",
            "operators = [carol]                                    | parley.auth.operators names 'carol'",
            "max-failures = 0                                       | parley.auth.max-failures",
            "failure-delay = 2 minutes                              | parley.auth.failure-delay",
            "failure-window = 0s                                    | parley.auth.failure-window",
            "required = true                                        | parley.auth.required",
            "requred = true                                         | parley.auth.requred is not an auth setting",
    })
    void invalid(String section, String named) {
        assertThatThrownBy(() -> read(section)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    @DisplayName("two users differing only in case are refused")
    void sameUser() {
        assertThatThrownBy(() -> read("users { alice = \"" + HASH + "\", ALICE = \"" + HASH + "\" }"))
                .hasMessageContaining("the same user as");
    }
}
