package dev.parley.cluster.hazelcast;

import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.core.store.MemoryMessageStore;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A memory store that refuses writes, as a full disk or a database gone away would, while told to. */
final class FailingStore implements MessageStore {
    private final MemoryMessageStore kept = new MemoryMessageStore(1_000_000);
    private volatile boolean failing;

    void failing(boolean failing) {
        this.failing = failing;
    }

    private CompletionStage<Void> refused() {
        return CompletableFuture.failedFuture(new StoreUnavailableException("the database is away (injected)"));
    }

    @Override
    public CompletionStage<Void> append(StoredMessage message) {
        return failing ? refused() : kept.append(message);
    }

    @Override
    public CompletionStage<Void> insert(StoredMessage message) {
        return failing ? refused() : kept.insert(message);
    }

    @Override
    public OptionalLong lastMsgId(String conversation) {
        return kept.lastMsgId(conversation);
    }

    @Override
    public boolean contains(String conversation, long msgid) {
        return kept.contains(conversation, msgid);
    }

    @Override
    public List<StoredMessage> page(String conversation, Page page) {
        return kept.page(conversation, page);
    }

    @Override
    public CompletionStage<Boolean> deposit(String account, StoredMessage message, int capacity) {
        return failing ? CompletableFuture.failedFuture(new StoreUnavailableException("injected"))
                : kept.deposit(account, message, capacity);
    }

    @Override
    public List<StoredMessage> mailbox(String account, int limit) {
        return kept.mailbox(account, limit);
    }

    @Override
    public void acknowledge(String account, String conversation, long msgid) {
        kept.acknowledge(account, conversation, msgid);
    }

    @Override
    public long prune(Instant olderThan, long maxPerConversation) {
        return kept.prune(olderThan, maxPerConversation);
    }

    @Override
    public boolean isAvailable() {
        return !failing;
    }

    @Override
    public void close() {
    }
}
