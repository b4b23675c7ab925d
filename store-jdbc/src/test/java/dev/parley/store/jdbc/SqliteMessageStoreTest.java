package dev.parley.store.jdbc;

import static dev.parley.testkit.store.MessageStoreContract.await;
import static dev.parley.testkit.store.MessageStoreContract.message;
import static dev.parley.testkit.store.MessageStoreContract.msgids;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.testkit.store.MessageStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The SQLite store")
class SqliteMessageStoreTest implements MessageStoreContract {
    @TempDir
    Path home;
    private MessageStore store;

    @BeforeEach
    void open() {
        store = open(home);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    public MessageStore store() {
        return store;
    }

    static MessageStore open(Path home) {
        return new JdbcStoreProvider().open(ConfigFactory.parseMap(Map.of("url", "jdbc:sqlite:data/parley.db")), home);
    }

    @Test
    @DisplayName("is not shared by servers: an SQLite file belongs to one process")
    void notSharedByServers() {
        assertThat(store.sharedByServers()).isFalse();
    }

    @Test
    @DisplayName("a relative path resolves against home, its directory created")
    void relativePathResolvesAgainstHome() {
        assertThat(home.resolve("data/parley.db")).isRegularFile();
    }

    @Test
    @DisplayName("the database is in WAL mode")
    void walMode() throws Exception {
        await(store.append(message("#lobby", 1, 1)));
        assertThat(home.resolve("data/parley.db-wal")).exists();
    }

    @Test
    @DisplayName("messages, numbering and mailboxes outlive a reopen")
    void reopenKeepsEverything() {
        appendMessages("#lobby", 5);
        await(store.deposit("bob", message("@alice|bob", 1, 1), 10));
        store.prune(null, 2);
        store.close();

        store = open(home);
        assertThat(msgids(store.page("#lobby", Page.latest(10)))).containsExactly(4L, 5L);
        assertThat(store.lastMsgId("#lobby")).hasValue(5);
        assertThat(store.contains("#lobby", 1)).isTrue();
        assertThat(store.mailbox("bob", 10)).containsExactly(message("@alice|bob", 1, 1));
    }

    @Test
    @DisplayName("an append with a msgid not above the conversation's last fails alone; its batch is kept")
    void msgidNotAboveLastFailsAlone() {
        var first = store.append(message("#lobby", 1, 1)).toCompletableFuture();
        var repeated = store.append(message("#lobby", 1, 2)).toCompletableFuture();
        var second = store.append(message("#lobby", 2, 3)).toCompletableFuture();
        await(first);
        await(second);
        assertThat(repeated).isCompletedExceptionally();
        assertThat(Files.exists(home.resolve("data/parley.db"))).isTrue();
        assertThat(msgids(store.page("#lobby", Page.latest(10)))).containsExactly(1L, 2L);
    }
}
