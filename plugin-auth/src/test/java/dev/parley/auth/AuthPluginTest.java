package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.server.StartupException;
import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Session;
import dev.parley.testkit.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AuthPluginTest extends AuthServer {

    @Nested
    @DisplayName("AUTH")
    class Auth {
        @Test
        @DisplayName("with the right password answers OK AUTH <account>, before registration, the user in any case")
        void good() {
            start(FAST);
            assertThat(ask(connect(), "AUTH alice " + ALICE_PASSWORD)).isEqualTo("OK AUTH alice");
            assertThat(ask(connect(), "AUTH BOB :" + BOB_PASSWORD)).isEqualTo("OK AUTH Bob");
        }

        @Test
        @DisplayName("answers a wrong password and an unknown user with the very same line")
        void sameAnswer() {
            start(FAST);
            String wrong = ask(connect(), "AUTH alice wrong");
            String unknown = ask(connect(), "AUTH mallory " + ALICE_PASSWORD);
            String empty = ask(connect(), "AUTH alice :");
            assertThat(wrong).startsWith("ERR AUTH BAD_CREDENTIALS :").isEqualTo(unknown).isEqualTo(empty);
        }

        @Test
        @DisplayName("holds a failure's answer back by failure-delay; a success is answered at once")
        void delay() {
            start(USERS + ", failure-delay = 700ms");
            TestClient c = connect();
            long t0 = System.nanoTime();
            c.send("AUTH alice wrong");
            c.send("AUTH alice " + ALICE_PASSWORD);
            assertThat(c.next()).startsWith("ERR AUTH BAD_CREDENTIALS");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
            assertThat(c.next()).isEqualTo("OK AUTH alice");
        }

        @Test
        @DisplayName("a second AUTH on an authenticated connection answers ALREADY_AUTHENTICATED and changes nothing")
        void twice() {
            start(FAST);
            TestClient c = connect();
            ask(c, "AUTH alice " + ALICE_PASSWORD);
            assertThat(ask(c, "AUTH root :" + ROOT_PASSWORD)).startsWith("ERR AUTH ALREADY_AUTHENTICATED :");
            assertThat(ask(c, "NICK alice")).isEqualTo("OK NICK alice");
            Session alice = kit.session(c);
            assertThat(alice.name()).contains("alice");
            assertThat(alice.account()).contains("alice");
        }

        @Test
        @DisplayName("answers BAD_ARGUMENT without repeating what was sent")
        void badArgument() {
            start(FAST);
            TestClient c = connect();
            assertThat(ask(c, "AUTH alice")).isEqualTo("ERR AUTH BAD_ARGUMENT :usage: AUTH <user> <password>");
            assertThat(ask(c, "AUTH alice secret1 secret2"))
                    .isEqualTo("ERR AUTH BAD_ARGUMENT :usage: AUTH <user> <password>");
        }
    }

    @Nested
    @DisplayName("failed attempts per remote address")
    class Limiting {
        @Test
        @DisplayName("after max-failures in the window AUTH answers TOO_MANY_ATTEMPTS, even with the right password,"
                + " on every connection from that address, and other addresses are not affected")
        void limited() {
            start(USERS + ", failure-delay = 0s, max-failures = 2, failure-window = 1 minute");
            TestClient a = connect("10.0.0.1");
            assertThat(ask(a, "AUTH alice x")).startsWith("ERR AUTH BAD_CREDENTIALS");
            assertThat(ask(a, "AUTH nobody x")).startsWith("ERR AUTH BAD_CREDENTIALS");
            assertThat(ask(a, "AUTH alice " + ALICE_PASSWORD)).startsWith("ERR AUTH TOO_MANY_ATTEMPTS :");
            assertThat(ask(connect("10.0.0.1"), "AUTH alice " + ALICE_PASSWORD)).startsWith("ERR AUTH TOO_MANY_ATTEMPTS");
            assertThat(ask(connect("10.0.0.2"), "AUTH alice " + ALICE_PASSWORD)).isEqualTo("OK AUTH alice");
        }

        @Test
        @DisplayName("AUTH works again once the window has passed")
        void windowPasses() throws InterruptedException {
            // The window is wall-clock time, and one hash check takes a fifth of a second or more: keep margin.
            start(USERS + ", failure-delay = 0s, max-failures = 1, failure-window = 1500ms");
            TestClient a = connect("10.0.0.3");
            ask(a, "AUTH alice x");
            assertThat(ask(a, "AUTH alice " + ALICE_PASSWORD)).startsWith("ERR AUTH TOO_MANY_ATTEMPTS");
            Thread.sleep(1600); // nothing to wait on but the clock (AttemptLimiterTest checks the rule exactly)
            assertThat(ask(a, "AUTH alice " + ALICE_PASSWORD)).isEqualTo("OK AUTH alice");
        }
    }

    @Nested
    @DisplayName("with parley.auth.required = true")
    class Required {
        @Test
        @DisplayName("every other command answers NOT_AUTHENTICATED before AUTH; HELP and AUTH work, then all do")
        void gate() {
            start(FAST + ", required = true");
            TestClient c = connect();
            assertThat(ask(c, "NICK alice")).startsWith("ERR NICK NOT_AUTHENTICATED :");
            assertThat(ask(c, "ANNOUNCE :hi")).startsWith("ERR ANNOUNCE NOT_AUTHENTICATED :");
            c.send("HELP");
            String line;
            while ((line = c.next()).startsWith("COMMAND ")) {
                assertThat(line).doesNotContain("NOT_AUTHENTICATED");
            }
            assertThat(line).startsWith("OK HELP");
            assertThat(ask(c, "AUTH alice wrong")).startsWith("ERR AUTH BAD_CREDENTIALS");
            assertThat(ask(c, "NICK alice")).startsWith("ERR NICK NOT_AUTHENTICATED");
            assertThat(ask(c, "AUTH alice " + ALICE_PASSWORD)).isEqualTo("OK AUTH alice");
            assertThat(ask(c, "NICK alice")).isEqualTo("OK NICK alice");
        }

        @Test
        @DisplayName("QUIT works before AUTH")
        void quit() {
            start(FAST + ", required = true");
            TestClient c = connect();
            assertThat(ask(c, "QUIT")).isEqualTo("OK QUIT");
            c.awaitClosed();
        }

        @Test
        @DisplayName("without it, commands work unauthenticated")
        void optional() {
            start(FAST);
            assertThat(ask(connect(), "NICK carol")).isEqualTo("OK NICK carol");
        }

        @Test
        @DisplayName("needs at least one user, or start-up fails naming the key")
        void noUsers() {
            assertThatThrownBy(() -> start("required = true"))
                    .isInstanceOf(StartupException.class).hasMessageContaining("parley.auth.required");
        }
    }

    @Nested
    @DisplayName("core's Accounts service")
    class AccountsService {
        @Test
        @DisplayName("reserves every account's name, in any case, for that account only")
        void owner() {
            start(FAST);
            Accounts accounts = nicks.context.lookup(Accounts.class).orElseThrow();
            assertThat(accounts.owner("ALICE")).contains("alice");
            assertThat(accounts.owner("bob")).contains("Bob");
            assertThat(accounts.isReserved("carol")).isFalse();
            TestClient c = connect();
            ask(c, "AUTH bob :" + BOB_PASSWORD);
            Session bob = kit.session(c);
            assertThat(bob.account()).contains("Bob");
            assertThat(accounts.mayTake(bob, "BOB")).isTrue();
            assertThat(accounts.mayTake(bob, "alice")).isFalse();
            assertThat(accounts.mayTake(bob, "carol")).isTrue();
            assertThat(accounts.isOperator(bob)).isFalse();
        }
    }

    @Nested
    @DisplayName("ANNOUNCE")
    class Announce {
        @Test
        @DisplayName("by an operator reaches every connected session as NOTICE <from> :<text>")
        void delivered() {
            start(FAST);
            TestClient root = connect();
            ask(root, "AUTH root :" + ROOT_PASSWORD);
            ask(root, "NICK boss");
            TestClient alice = connect();
            ask(alice, "NICK alice");
            TestClient anonymous = connect();
            root.send("ANNOUNCE :restart at 22:00");
            assertThat(alice.next()).isEqualTo("NOTICE boss :restart at 22:00");
            assertThat(anonymous.next()).isEqualTo("NOTICE boss :restart at 22:00");
            assertThat(root.next(2)).containsExactlyInAnyOrder("NOTICE boss :restart at 22:00", "OK ANNOUNCE 3");
        }

        @Test
        @DisplayName("by anyone else answers NOT_PERMITTED and sends nothing")
        void notPermitted() {
            start(FAST);
            TestClient alice = connect();
            ask(alice, "AUTH alice " + ALICE_PASSWORD);
            ask(alice, "NICK alice");
            TestClient carol = connect();
            ask(carol, "NICK carol");
            assertThat(ask(alice, "ANNOUNCE :hi")).startsWith("ERR ANNOUNCE NOT_PERMITTED :");
            assertThat(ask(carol, "ANNOUNCE :hi")).startsWith("ERR ANNOUNCE NOT_PERMITTED :");
            assertThat(alice.pending()).isEmpty();
            assertThat(carol.pending()).isEmpty();
        }
    }
}
