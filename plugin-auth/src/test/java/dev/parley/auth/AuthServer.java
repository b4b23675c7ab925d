package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.auth.password.PasswordHash;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** A ServerCore with the auth plugin and a NICK stand-in, driven through FakeConnections. */
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
    ServerCore core;

    void start(String auth) {
        core = new ServerCore(new CoreSettings("parley", 4, 64),
                ConfigFactory.parseString("parley.auth {" + auth + "}").withFallback(ConfigFactory.load()),
                List.of(new AuthPlugin(), nicks), "test");
        core.start();
    }

    @AfterEach
    void stop() {
        if (core != null) {
            core.shutdown(Duration.ofSeconds(2));
        }
    }

    FakeConnection connect() throws InterruptedException {
        return connect("127.0.0.1");
    }

    FakeConnection connect(String host) throws InterruptedException {
        FakeConnection c = new FakeConnection(host);
        c.handler = core.connected(c);
        assertThat(c.next()).startsWith("HELLO ");
        return c;
    }

    /** Sends one command and returns the next line written. */
    static String ask(FakeConnection c, String line) throws InterruptedException {
        c.send(line);
        return c.next();
    }
}
