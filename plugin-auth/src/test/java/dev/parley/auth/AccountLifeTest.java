package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.store.MemoryAccountStore;
import dev.parley.testkit.EmbeddedServer;
import dev.parley.testkit.LineClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** REGISTER, PASSWORD, DISABLE and ENABLE over real loopback sockets, accounts kept in an account store. */
class AccountLifeTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final MemoryAccountStore store = new MemoryAccountStore();

    /** Offers the account store to the plugins started after it, as the launcher offers the store's. */
    private record StorePlugin(AccountStore store) implements ParleyPlugin {
        @Override
        public String name() {
            return "store";
        }

        @Override
        public void start(PluginContext context) {
            context.provide(AccountStore.class, store);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A server over the test's store; a second one over the same store stands for a restart. */
    private EmbeddedServer server(String auth) throws IOException {
        EmbeddedServer server = EmbeddedServer.start(ConfigFactory.parseString("parley.auth { " + AuthServer.FAST
                + ", " + auth + " }"), new StorePlugin(store), new AuthPlugin(), new TestNicks());
        open.add(server);
        return server;
    }

    private LineClient client(EmbeddedServer server) throws IOException {
        LineClient c = server.connect();
        open.add(c);
        return c;
    }

    private static String ask(LineClient c, String line) {
        return c.command(line).reply();
    }

    @Nested
    @DisplayName("REGISTER with registration = open")
    class Open {
        @Test
        @DisplayName("creates the account and authenticates the session, before AUTH even when authentication is required; AUTH works after a restart")
        void createsAndAuthenticates() throws IOException {
            EmbeddedServer server = server("registration = open, required = true");
            LineClient carol = client(server);
            assertThat(ask(carol, "NICK carol")).startsWith("ERR NICK NOT_AUTHENTICATED");
            assertThat(ask(carol, "REGISTER carol :long enough pw")).isEqualTo("OK REGISTER carol");
            assertThat(ask(carol, "NICK carol")).isEqualTo("OK NICK carol");
            LineClient dave = client(server);
            assertThat(ask(dave, "REGISTER Dave :another pass")).isEqualTo("OK REGISTER Dave");
            server.close();

            EmbeddedServer again = server("registration = open, required = true");
            assertThat(ask(client(again), "AUTH CAROL :long enough pw")).isEqualTo("OK AUTH carol");
            assertThat(ask(client(again), "AUTH dave :another pass")).isEqualTo("OK AUTH Dave");
            assertThat(ask(client(again), "AUTH dave :wrong pass!")).startsWith("ERR AUTH BAD_CREDENTIALS");
        }

        @Test
        @DisplayName("a short password answers WEAK_PASSWORD, a taken or configured name ACCOUNT_EXISTS, a bad name BAD_ARGUMENT")
        void refusals() throws IOException {
            EmbeddedServer server = server("registration = open, min-password-length = 10");
            assertThat(ask(client(server), "REGISTER carol :short")).startsWith("ERR REGISTER WEAK_PASSWORD :")
                    .contains("10");
            assertThat(ask(client(server), "REGISTER carol :long enough pw")).isEqualTo("OK REGISTER carol");
            assertThat(ask(client(server), "REGISTER CAROL :long enough pw")).startsWith("ERR REGISTER ACCOUNT_EXISTS");
            assertThat(ask(client(server), "REGISTER alice :long enough pw")).startsWith("ERR REGISTER ACCOUNT_EXISTS");
            assertThat(ask(client(server), "REGISTER a/b :long enough pw")).startsWith("ERR REGISTER BAD_ARGUMENT");
            assertThat(store.find("carol")).get().extracting(AccountStore.Account::passwordHash).asString()
                    .startsWith("pbkdf2-sha256$").doesNotContain("long enough pw");
        }

        @Test
        @DisplayName("successful REGISTERs per address are limited to registrations-per-hour")
        void perAddress() throws IOException {
            EmbeddedServer server = server("registration = open, registrations-per-hour = 2");
            assertThat(ask(client(server), "REGISTER u1 :long enough pw")).isEqualTo("OK REGISTER u1");
            assertThat(ask(client(server), "REGISTER u2 :long enough pw")).isEqualTo("OK REGISTER u2");
            assertThat(ask(client(server), "REGISTER u3 :long enough pw")).startsWith("ERR REGISTER TOO_MANY_ATTEMPTS");
            assertThat(store.find("u3")).isEmpty();
        }

        @Test
        @DisplayName("REGISTERs of taken names count as failures against the address, like failed AUTHs")
        void failuresCount() throws IOException {
            EmbeddedServer server = server("registration = open, max-failures = 2");
            LineClient c = client(server);
            assertThat(ask(c, "REGISTER alice :long enough pw")).startsWith("ERR REGISTER ACCOUNT_EXISTS");
            assertThat(ask(c, "REGISTER root :long enough pw")).startsWith("ERR REGISTER ACCOUNT_EXISTS");
            assertThat(ask(c, "AUTH alice :" + AuthServer.ALICE_PASSWORD)).startsWith("ERR AUTH TOO_MANY_ATTEMPTS");
        }
    }

    @Nested
    @DisplayName("REGISTER with registration = closed (the default)")
    class Closed {
        @Test
        @DisplayName("answers NOT_PERMITTED to anyone but operators; an operator's REGISTER leaves its own session as it was")
        void operatorsOnly() throws IOException {
            EmbeddedServer server = server("");
            assertThat(ask(client(server), "REGISTER carol :long enough pw")).startsWith("ERR REGISTER NOT_PERMITTED");
            LineClient root = client(server);
            assertThat(ask(root, "AUTH root :" + AuthServer.ROOT_PASSWORD)).isEqualTo("OK AUTH root");
            assertThat(ask(root, "REGISTER carol :long enough pw")).isEqualTo("OK REGISTER carol");
            assertThat(ask(root, "REGISTER carol :long enough pw")).startsWith("ERR REGISTER ACCOUNT_EXISTS");
            assertThat(ask(root, "NICK root")).isEqualTo("OK NICK root");
            assertThat(ask(client(server), "AUTH carol :long enough pw")).isEqualTo("OK AUTH carol");
        }
    }

    @Nested
    @DisplayName("PASSWORD")
    class Password {
        @Test
        @DisplayName("needs the current password; the new one holds after it, the old one not")
        void change() throws IOException {
            EmbeddedServer server = server("registration = open");
            LineClient carol = client(server);
            ask(carol, "REGISTER carol :long enough pw");
            assertThat(ask(carol, "PASSWORD wrong :a new password")).startsWith("ERR PASSWORD BAD_CREDENTIALS");
            assertThat(ask(carol, "PASSWORD long :a new password")).startsWith("ERR PASSWORD BAD_CREDENTIALS");
            assertThat(ask(carol, "PASSWORD x :short")).startsWith("ERR PASSWORD WEAK_PASSWORD");
            LineClient dave = client(server);
            ask(dave, "REGISTER dave :my old secret");
            assertThat(ask(dave, "PASSWORD secret :my new secret")).startsWith("ERR PASSWORD BAD_CREDENTIALS");
            assertThat(ask(client(server), "AUTH dave :my old secret")).isEqualTo("OK AUTH dave");
            LineClient erin = client(server);
            ask(erin, "REGISTER erin :0ld-secret");
            assertThat(ask(erin, "PASSWORD 0ld-secret :n3w secret")).isEqualTo("OK PASSWORD erin");
            assertThat(ask(client(server), "AUTH erin 0ld-secret")).startsWith("ERR AUTH BAD_CREDENTIALS");
            assertThat(ask(client(server), "AUTH erin :n3w secret")).isEqualTo("OK AUTH erin");
        }

        @Test
        @DisplayName("a configured account is read-only: NOT_PERMITTED, and it keeps working; without AUTH: NOT_AUTHENTICATED")
        void readOnly() throws IOException {
            EmbeddedServer server = server("");
            LineClient alice = client(server);
            assertThat(ask(alice, "PASSWORD x :whatever long")).startsWith("ERR PASSWORD NOT_AUTHENTICATED");
            ask(alice, "AUTH alice " + AuthServer.ALICE_PASSWORD);
            assertThat(ask(alice, "PASSWORD " + AuthServer.ALICE_PASSWORD + " :whatever long"))
                    .startsWith("ERR PASSWORD NOT_PERMITTED").contains("parley.auth.users");
            assertThat(ask(client(server), "AUTH alice " + AuthServer.ALICE_PASSWORD)).isEqualTo("OK AUTH alice");
        }
    }

    @Nested
    @DisplayName("DISABLE and ENABLE")
    class Disable {
        @Test
        @DisplayName("an operator's DISABLE ends the account's sessions with BYE ACCOUNT_DISABLED and refuses its AUTH until ENABLE")
        void disableEnable() throws IOException {
            EmbeddedServer server = server("registration = open");
            LineClient carol = client(server);
            ask(carol, "REGISTER carol :long enough pw");
            LineClient root = client(server);
            ask(root, "AUTH root :" + AuthServer.ROOT_PASSWORD);
            assertThat(ask(carol, "DISABLE carol")).startsWith("ERR DISABLE NOT_PERMITTED");
            assertThat(ask(root, "DISABLE Carol")).isEqualTo("OK DISABLE carol");
            assertThat(carol.next()).startsWith("BYE ACCOUNT_DISABLED");
            carol.awaitClosed();
            assertThat(ask(client(server), "AUTH carol :long enough pw")).startsWith("ERR AUTH ACCOUNT_DISABLED");
            assertThat(ask(root, "DISABLE nobody")).startsWith("ERR DISABLE NO_SUCH_ACCOUNT");
            assertThat(ask(root, "DISABLE alice")).startsWith("ERR DISABLE NOT_PERMITTED");
            assertThat(ask(root, "ENABLE carol")).isEqualTo("OK ENABLE carol");
            assertThat(ask(client(server), "AUTH carol :long enough pw")).isEqualTo("OK AUTH carol");
        }
    }
}
