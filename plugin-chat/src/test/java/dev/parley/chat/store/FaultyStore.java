package dev.parley.chat.store;

import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import dev.parley.core.store.MemoryMessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A fault injector around a memory store: it can refuse appends as a full disk would, and it can commit appends
 * in batches, completing each batch's stages newest first, as a group commit may.
 */
public final class FaultyStore implements MessageStore {
    private final MemoryMessageStore kept = new MemoryMessageStore(1_000_000);
    private final List<Runnable> batch = new ArrayList<>(); // guarded by this
    private volatile boolean failing;
    private volatile int batchSize = 1;

    /** From now on appends and deposits fail with StoreUnavailableException, or succeed again. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Appends are held until this many are waiting, then committed and completed newest first. */
    public synchronized void batches(int size) {
        this.batchSize = size;
    }

    @Override
    public CompletionStage<Void> append(StoredMessage message) {
        if (failing) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("disk full (injected)"));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<Runnable> ready;
        synchronized (this) {
            kept.append(message);
            batch.add(0, () -> done.complete(null));
            if (batch.size() < batchSize) {
                return done;
            }
            ready = new ArrayList<>(batch);
            batch.clear();
        }
        // On another thread, as a store's commit thread would.
        CompletableFuture.runAsync(() -> ready.forEach(Runnable::run));
        return done;
    }

    @Override
    public CompletionStage<Void> insert(StoredMessage message) {
        if (failing) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("disk full (injected)"));
        }
        return kept.insert(message);
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
        if (failing) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("disk full (injected)"));
        }
        return kept.deposit(account, message, capacity);
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
