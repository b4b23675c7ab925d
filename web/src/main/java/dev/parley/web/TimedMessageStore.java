package dev.parley.web;

import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.StoredMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The message store the launcher opened, timing each operation into {@code parley_store_operation_seconds}
 * by operation. Appends and deposits are timed until their stage completes, that is until the store
 * committed them (the latency a durable SAY waits for), not until the call returned.
 *
 * <p>A decorator rather than a hook in core or in each store: core stays free of Micrometer, every store
 * (memory, SQLite, PostgreSQL, a plugin's) is measured the same way, and plugins see nothing but a
 * {@link MessageStore}. Stages are the store's own ({@code whenComplete} runs on the thread that completes
 * them), so the contract on which thread completes an append holds for the callers.
 */
final class TimedMessageStore implements MessageStore {
    private final MessageStore store;
    private final Timer append;
    private final Timer deposit;
    private final Timer page;
    private final Timer mailbox;
    private final Timer acknowledge;
    private final Timer lastMsgId;
    private final Timer contains;
    private final Timer prune;

    TimedMessageStore(MessageStore store, MeterRegistry registry) {
        this.store = store;
        this.append = timer(registry, "append");
        this.deposit = timer(registry, "deposit");
        this.page = timer(registry, "page");
        this.mailbox = timer(registry, "mailbox");
        this.acknowledge = timer(registry, "acknowledge");
        this.lastMsgId = timer(registry, "last_msgid");
        this.contains = timer(registry, "contains");
        this.prune = timer(registry, "prune");
    }

    private static Timer timer(MeterRegistry registry, String operation) {
        return Timer.builder("parley.store.operation").tag("operation", operation)
                .description("Time the message store took per operation; append and deposit until committed")
                .register(registry);
    }

    /** Times a call that returns a value, failures included. */
    private static <T> T timed(Timer timer, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Times an asynchronous call until its stage completes, normally or not. */
    private static <T> CompletionStage<T> committed(Timer timer, Supplier<CompletionStage<T>> call) {
        long start = System.nanoTime();
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
        return stage.whenComplete((v, e) -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    @Override
    public CompletionStage<Void> append(StoredMessage message) {
        return committed(append, () -> store.append(message));
    }

    @Override
    public CompletionStage<Void> insert(StoredMessage message) {
        return committed(append, () -> store.insert(message));
    }

    @Override
    public OptionalLong lastMsgId(String conversation) {
        return timed(lastMsgId, () -> store.lastMsgId(conversation));
    }

    @Override
    public boolean contains(String conversation, long msgid) {
        return timed(contains, () -> store.contains(conversation, msgid));
    }

    @Override
    public List<StoredMessage> page(String conversation, Page page) {
        return timed(this.page, () -> store.page(conversation, page));
    }

    @Override
    public CompletionStage<Boolean> deposit(String account, StoredMessage message, int capacity) {
        return committed(deposit, () -> store.deposit(account, message, capacity));
    }

    @Override
    public List<StoredMessage> mailbox(String account, int limit) {
        return timed(mailbox, () -> store.mailbox(account, limit));
    }

    @Override
    public void acknowledge(String account, String conversation, long msgid) {
        timed(acknowledge, () -> {
            store.acknowledge(account, conversation, msgid);
            return null;
        });
    }

    @Override
    public long prune(Instant olderThan, long maxPerConversation) {
        return timed(prune, () -> store.prune(olderThan, maxPerConversation));
    }

    /** Passed on to the wrapped store, whose writer completes the batches. */
    @Override
    public void groupCompletions(Consumer<Runnable> around) {
        store.groupCompletions(around);
    }

    /** The wrapped store's accounts, untimed: without this the server would lose them behind the wrapper. */
    @Override
    public Optional<AccountStore> accounts() {
        return store.accounts();
    }

    /**
     * The wrapped store's: without this a cluster node behind the wrapper took a shared store for its own and
     * answered every SAY one round trip later.
     */
    @Override
    public boolean sharedByServers() {
        return store.sharedByServers();
    }

    /** Not timed: readiness and scrapes time it as {@code parley_store_probe_seconds}. */
    @Override
    public boolean isAvailable() {
        return store.isAvailable();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
