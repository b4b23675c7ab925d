package dev.parley.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.server.StartupException;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.Reply;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.launcher.config.LauncherSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ParleyServerTest {

    /** A plugin offering one verb. */
    private record OneVerb(String name, String verb) implements ParleyPlugin {
        @Override
        public List<Command> commands() {
            return List.of(Command.sync(verb, "test", request -> Reply.ok()));
        }
    }

    private static ParleyServer server(int port, List<ParleyPlugin> plugins) {
        Properties properties = new Properties();
        properties.setProperty("parley.server.port", Integer.toString(port));
        // In-process servers keep nothing: the default SQLite file would outlive the test and leak into the next.
        properties.setProperty("parley.store.url", "memory:");
        properties.setProperty("parley.http.port", "0");
        properties.setProperty("parley.plugins", "[]");
        Config config = ConfigLoader.load(ConfigLoader.reference(List.of(ParleyServerTest.class.getClassLoader())),
                Optional.empty(), properties, ConfigFactory.empty());
        return ServerAssembly.build(config, LauncherSettings.from(config), plugins);
    }

    @Test
    @DisplayName("two plugins claiming one verb stop start-up, naming both, before anything listens")
    void verbClash() {
        ParleyServer server = server(0, List.of(new OneVerb("first", "PING"), new OneVerb("second", "PING")));
        assertThatThrownBy(server::start)
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("'first'").hasMessageContaining("'second'").hasMessageContaining("PING");
        server.shutdown(); // idempotent after a failed start
    }

    @Test
    @DisplayName("a port in use fails start-up naming the address, saying it is in use and suggesting --port")
    void portInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ParleyServer server = server(taken.getLocalPort(), List.of());
            assertThatThrownBy(server::start)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .hasMessageContaining("address already in use")
                    .hasMessageContaining("--port")
                    .hasMessageNotContaining("Error while binding");
        }
    }

    @Test
    @DisplayName("starts on port 0, reports the real port, and shuts down")
    void startAndStop() throws IOException {
        ParleyServer server = server(0, List.of(new OneVerb("one", "PING")));
        InetSocketAddress address = server.start();
        assertThat(address.getPort()).isPositive();
        assertThat(server.pluginNames()).containsExactly("one");
        server.shutdown();
        server.shutdown();
    }

    /** Finds the store the server offers, and answers STORED with whether it is available. */
    private static final class StoreProbe implements ParleyPlugin {
        volatile dev.parley.core.spi.store.MessageStore store;
        volatile dev.parley.core.spi.store.AccountStore accounts;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public void start(dev.parley.core.spi.PluginContext context) {
            store = context.lookup(dev.parley.core.spi.store.MessageStore.class).orElseThrow();
            accounts = context.lookup(dev.parley.core.spi.store.AccountStore.class).orElseThrow();
        }
    }

    @Test
    @DisplayName("plugins find the store parley.store.url opens and its account store; it is closed once the server stopped")
    void storeOffered() throws IOException {
        StoreProbe probe = new StoreProbe();
        ParleyServer server = server(0, List.of(probe));
        server.start();
        // The store parley.store.url names, timed into the metrics (parley_store_operation_seconds).
        assertThat(probe.store.getClass().getName()).isEqualTo("dev.parley.web.TimedMessageStore");
        assertThat(probe.store.toString()).startsWith(dev.parley.core.store.MemoryMessageStore.class.getName());
        assertThat(probe.store.isAvailable()).isTrue();
        assertThat(probe.accounts).isSameAs(probe.store.accounts().orElseThrow());
        server.shutdown();
        assertThat(probe.store.isAvailable()).isFalse();
    }

    @Test
    @DisplayName("an exception in a plugin's start() is logged at ERROR with its stack trace, and start-up stops naming it")
    void startFailureLogged() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("dev.parley.core.server.ServerCore");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            ParleyPlugin broken = new ParleyPlugin() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public void start(dev.parley.core.spi.PluginContext context) {
                    throw new IllegalStateException("no database");
                }
            };
            ParleyServer server = server(0, List.of(broken));
            assertThatThrownBy(server::start).isInstanceOf(StartupException.class)
                    .hasMessageContaining("plugin 'broken' failed to start").hasMessageContaining("no database");
            assertThat(appender.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
                assertThat(event.getFormattedMessage()).isEqualTo("plugin 'broken' failed to start");
                assertThat(event.getThrowableProxy()).isNotNull();
                assertThat(event.getThrowableProxy().getMessage()).isEqualTo("no database");
                assertThat(event.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
            });
            server.shutdown();
        } finally {
            logger.detachAppender(appender);
        }
    }
}
