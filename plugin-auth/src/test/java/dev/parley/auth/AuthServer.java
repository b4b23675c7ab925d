package dev.parley.auth;

import dev.parley.auth.password.PasswordHash;
import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.TestClient;
import org.junit.jupiter.api.AfterEach;

/** The auth plugin and a NICK stand-in in the test kit's ServerCore, with auth settings per test. */
abstract class AuthServer {
    static final String ROOT_PASSWORD = "r00t pass phrase";
    static final String ALICE_PASSWORD = "Tr0ub4dor&3";
    static final String BOB_PASSWORD = "correct horse battery staple";
    /** Hashed once per test run: each hash takes a fifth of a second by design. */
    static final String USERS = "users { root = \"" + PasswordHash.create(ROOT_PASSWORD.toCharArray())
            + "\", alice = \"" + PasswordHash.create(ALICE_PASSWORD.toCharArray())
            + "\", Bob = \"" + PasswordHash.create(BOB_PASSWORD.toCharArray()) + "\" }, operators = [root]";
    /** Failure answers held back only briefly, so tests stay fast. */
    static final String FAST = USERS + ", failure-delay = 10ms";

    final TestNicks nicks = new TestNicks();
    ParleyTestKit kit;

    /** @param auth settings as under {@code parley.auth} */
    void start(String auth) {
        kit = ParleyTestKit.builder().plugin(new AuthPlugin()).plugin(nicks).pluginConfig("auth", auth).start();
    }

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.close();
        }
    }

    TestClient connect() {
        return kit.connect();
    }

    /** A client from that IP address: failed attempts are counted per address. */
    TestClient connect(String host) {
        return kit.connectFrom(host);
    }

    /** Sends one command and returns the next line written. */
    static String ask(TestClient c, String line) {
        return c.send(line).next();
    }
}
