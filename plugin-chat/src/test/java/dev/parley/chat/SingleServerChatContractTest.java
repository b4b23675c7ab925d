package dev.parley.chat;

import com.typesafe.config.ConfigFactory;
import dev.parley.auth.password.PasswordHash;
import dev.parley.testkit.EmbeddedServer;
import dev.parley.testkit.LineClient;
import dev.parley.testkit.ParleyTestKit;
import dev.parley.testkit.chat.ChatContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;

/**
 * The chat contract on one server (the rooms and nicks of a single server, {@code LocalRoomLedger} and
 * {@code LocalNickLedger}): every user connects to it. The clustered run of the same tests is in the
 * cluster module.
 */
@DisplayName("the chat contract on a single server")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleServerChatContractTest implements ChatContract {
    private static final String OPERATOR = "root";
    private static final String PASSWORD = "contract secret";

    private EmbeddedServer server;

    /** The tests run inside chat's module, which does not read auth's: a test may, for the hash format. */
    private static String hash() {
        SingleServerChatContractTest.class.getModule()
                .addReads(ModuleLayer.boot().findModule("dev.parley.auth").orElseThrow());
        return PasswordHash.create(PASSWORD.toCharArray()).toString();
    }

    @BeforeAll
    void start() throws IOException {
        String auth = "parley.auth { failure-delay = 0s, operators = [" + OPERATOR + "], users { " + OPERATOR
                + " = \"" + hash() + "\" } }";
        server = EmbeddedServer.start(ConfigFactory.parseString(auth), new ChatPlugin(),
                ParleyTestKit.findPlugin("auth"), ParleyTestKit.findPlugin("heartbeat"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public LineClient connect(int server) throws IOException {
        return this.server.connect();
    }

    @Override
    public String operator() {
        return OPERATOR;
    }

    @Override
    public String operatorPassword() {
        return PASSWORD;
    }
}
