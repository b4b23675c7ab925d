package dev.parley.testkit.store;

import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.store.MemoryMessageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;

/**
 * The memory store runs the same contract as SQLite and PostgreSQL. Here rather than in core's tests: core
 * cannot depend on the testkit, which depends on core.
 */
@DisplayName("The memory store")
class MemoryMessageStoreTest implements MessageStoreContract {
    private MessageStore store;

    @BeforeEach
    void open() {
        store = new MemoryMessageStore(1_000_000);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    public MessageStore store() {
        return store;
    }
}
