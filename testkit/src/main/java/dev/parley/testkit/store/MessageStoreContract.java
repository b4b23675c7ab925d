package dev.parley.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.Page;
import dev.parley.core.spi.store.Ref;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageStore} must do, as JUnit tests: a store's test class implements this interface and
 * {@link #store()}, returning a new empty store for each test (created in its {@code @BeforeEach}, closed in its
 * {@code @AfterEach}; {@link MessageStore#close()} may then be called a second time). The memory store, SQLite and
 * PostgreSQL all run these same tests.
 */
public interface MessageStoreContract {

    /** The store under test: empty at the start of each test. */
    MessageStore store();

    /** How long a test waits for a stage; generous, as a shared CI machine can be slow. */
    Duration TIMEOUT = Duration.ofSeconds(30);
    Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** A message of {@code conversation} sent {@code seconds} after {@link #T0}. */
    static StoredMessage message(String conversation, long msgid, long seconds) {
        return new StoredMessage(conversation, msgid, T0.plusSeconds(seconds), "alice", conversation,
                "message " + msgid);
    }

    /** The result of a stage, waited for at most {@link #TIMEOUT}. */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the stage did not complete normally", e);
        }
    }

    /** Appends msgids 1..count to the conversation, message i sent i seconds after T0, and waits for them. */
    default void appendMessages(String conversation, int count) {
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int msgid = 1; msgid <= count; msgid++) {
            stages.add(store().append(message(conversation, msgid, msgid)).toCompletableFuture());
        }
        await(CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)));
    }

    /**
     * How a call failed, whether it threw or returned a stage that completed exceptionally (within
     * {@link #TIMEOUT}); null when it succeeded.
     */
    static Throwable failureOf(Supplier<? extends CompletionStage<?>> call) {
        CompletionStage<?> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            return e;
        }
        try {
            stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError("the stage did not complete in " + TIMEOUT, e);
        }
    }

    static List<Long> msgids(List<StoredMessage> page) {
        return page.stream().map(StoredMessage::msgid).toList();
    }

    static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    static Ref id(long msgid) {
        return new Ref.MsgId(msgid);
    }

    static Ref at(long seconds) {
        return new Ref.At(T0.plusSeconds(seconds));
    }

    // ---- append, lastMsgId, contains ----

    @Test
    @DisplayName("an appended message comes back exactly as it was given")
    default void appendedMessageComesBack() {
        StoredMessage sent = new StoredMessage("#lobby", 1, Instant.parse("2026-12-07T10:00:00.123456Z"), "bob",
                "#lobby", "héllo, wörld: ünïcode ✓ and 'quotes'");
        await(store().append(sent));

        assertThat(store().page("#lobby", Page.latest(10))).containsExactly(sent);
        assertThat(store().page("#lobby", Page.latest(10)).get(0).time())
                .isEqualTo(Instant.parse("2026-12-07T10:00:00.123Z"));
    }

    @Test
    @DisplayName("lastMsgId is empty for a conversation without messages, then the highest appended msgid")
    default void lastMsgIdFollowsAppends() {
        assertThat(store().lastMsgId("#lobby")).isEmpty();
        appendMessages("#lobby", 3);
        assertThat(store().lastMsgId("#lobby")).hasValue(3);
        assertThat(store().lastMsgId("#other")).isEmpty();
    }

    @Test
    @DisplayName("contains answers for kept msgids only, per conversation")
    default void containsKeptMsgIds() {
        appendMessages("#lobby", 3);
        assertThat(store().contains("#lobby", 1)).isTrue();
        assertThat(store().contains("#lobby", 3)).isTrue();
        assertThat(store().contains("#lobby", 4)).isFalse();
        assertThat(store().contains("#other", 1)).isFalse();
    }

    @Test
    @DisplayName("private conversations and rooms are kept apart")
    default void conversationsAreKeptApart() {
        appendMessages("#lobby", 2);
        appendMessages("@alice|bob", 3);
        assertThat(msgids(store().page("#lobby", Page.latest(10)))).containsExactly(1L, 2L);
        assertThat(msgids(store().page("@alice|bob", Page.latest(10)))).containsExactly(1L, 2L, 3L);
    }

    // ---- pages ----

    @Test
    @DisplayName("every direction of an empty conversation is an empty page")
    default void emptyConversationPages() {
        for (Page page : List.of(Page.latest(10), Page.before(id(5), 10), Page.after(id(5), 10),
                Page.around(id(5), 10), Page.between(id(1), id(9), 10), Page.before(at(5), 10),
                Page.after(at(5), 10), Page.around(at(5), 10), Page.between(at(1), at(9), 10))) {
            assertThat(store().page("#empty", page)).as(page.toString()).isEmpty();
        }
    }

    @Test
    @DisplayName("LATEST gives the newest messages, oldest first, at most limit")
    default void latest() {
        appendMessages("#lobby", 10);
        assertThat(msgids(store().page("#lobby", Page.latest(3)))).containsExactly(8L, 9L, 10L);
        assertThat(msgids(store().page("#lobby", Page.latest(100)))).isEqualTo(range(1, 10));
        assertThat(msgids(store().page("#lobby", Page.latest(1)))).containsExactly(10L);
    }

    @Test
    @DisplayName("BEFORE a msgid gives the newest messages strictly older than it, oldest first")
    default void beforeMsgId() {
        appendMessages("#lobby", 10);
        assertThat(msgids(store().page("#lobby", Page.before(id(5), 2)))).containsExactly(3L, 4L);
        assertThat(msgids(store().page("#lobby", Page.before(id(5), 100)))).isEqualTo(range(1, 4));
        assertThat(store().page("#lobby", Page.before(id(1), 10))).isEmpty();
    }

    @Test
    @DisplayName("AFTER a msgid gives the oldest messages strictly newer than it")
    default void afterMsgId() {
        appendMessages("#lobby", 10);
        assertThat(msgids(store().page("#lobby", Page.after(id(5), 2)))).containsExactly(6L, 7L);
        assertThat(msgids(store().page("#lobby", Page.after(id(5), 100)))).isEqualTo(range(6, 10));
        assertThat(store().page("#lobby", Page.after(id(10), 10))).isEmpty();
    }

    @Test
    @DisplayName("BEFORE a time excludes a message sent at that time; AFTER a time includes it")
    default void timeRefs() {
        appendMessages("#lobby", 10);
        assertThat(msgids(store().page("#lobby", Page.before(at(5), 100)))).isEqualTo(range(1, 4));
        assertThat(msgids(store().page("#lobby", Page.before(at(5), 2)))).containsExactly(3L, 4L);
        assertThat(msgids(store().page("#lobby", Page.after(at(5), 100)))).isEqualTo(range(5, 10));
        assertThat(msgids(store().page("#lobby", Page.after(at(5), 2)))).containsExactly(5L, 6L);
        assertThat(store().page("#lobby", Page.before(at(1), 10))).isEmpty();
        assertThat(store().page("#lobby", Page.after(at(11), 10))).isEmpty();
        assertThat(msgids(store().page("#lobby", Page.after(at(-100), 3)))).containsExactly(1L, 2L, 3L);
    }

    @Test
    @DisplayName("messages sent in the same millisecond keep their msgid order in every direction")
    default void tiesInTime() {
        for (int msgid = 1; msgid <= 6; msgid++) {
            await(store().append(message("#lobby", msgid, msgid <= 3 ? 0 : 1)));
        }
        assertThat(msgids(store().page("#lobby", Page.before(at(1), 100)))).containsExactly(1L, 2L, 3L);
        assertThat(msgids(store().page("#lobby", Page.before(at(1), 2)))).containsExactly(2L, 3L);
        assertThat(msgids(store().page("#lobby", Page.after(at(0), 2)))).containsExactly(1L, 2L);
        assertThat(msgids(store().page("#lobby", Page.after(at(1), 100)))).containsExactly(4L, 5L, 6L);
        assertThat(msgids(store().page("#lobby", Page.before(id(3), 1)))).containsExactly(2L);
        assertThat(msgids(store().page("#lobby", Page.after(id(4), 1)))).containsExactly(5L);
        assertThat(msgids(store().page("#lobby", Page.between(at(0), at(1), 100)))).containsExactly(1L, 2L, 3L);
    }

    @Test
    @DisplayName("AROUND a msgid gives up to limit/2 older messages, then it and newer ones up to limit")
    default void aroundMsgId() {
        appendMessages("#lobby", 10);
        assertThat(msgids(store().page("#lobby", Page.around(id(5), 4)))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(msgids(store().page("#lobby", Page.around(id(5), 5)))).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(msgids(store().page("#lobby", Page.around(id(1), 4)))).containsExactly(1L, 2L, 3L, 4L);
        assertThat(msgids(store().page("#lobby", Page.around(id(10), 4)))).containsExactly(8L, 9L, 10L);
        assertThat(msgids(store().page("#lobby", Page.around(id(5), 1)))).containsExactly(5L);
        assertThat(msgids(store().page("#lobby", Page.around(id(5), 100)))).isEqualTo(range(1, 10));
    }

    @Test
    @DisplayName("AROUND a time centres on the first message sent at or after it")
    default void aroundTime() {
        appendMessages("#lobby", 10);
        Ref between5And6 = new Ref.At(T0.plusMillis(5_500));
        assertThat(msgids(store().page("#lobby", Page.around(between5And6, 4)))).containsExactly(4L, 5L, 6L, 7L);
        assertThat(msgids(store().page("#lobby", Page.around(at(6), 4)))).containsExactly(4L, 5L, 6L, 7L);
    }

    @Test
    @DisplayName("BETWEEN gives the oldest messages strictly between its references, in either order")
    default void between() {
        appendMessages("#lobby", 10);
        assertThat(msgids(store().page("#lobby", Page.between(id(3), id(7), 100)))).containsExactly(4L, 5L, 6L);
        assertThat(msgids(store().page("#lobby", Page.between(id(7), id(3), 100)))).containsExactly(4L, 5L, 6L);
        assertThat(msgids(store().page("#lobby", Page.between(id(3), id(7), 2)))).containsExactly(4L, 5L);
        assertThat(store().page("#lobby", Page.between(id(3), id(4), 100))).isEmpty();
        assertThat(msgids(store().page("#lobby", Page.between(at(3), at(7), 100)))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(msgids(store().page("#lobby", Page.between(at(7), at(3), 100)))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(msgids(store().page("#lobby", Page.between(id(3), at(7), 100)))).containsExactly(4L, 5L, 6L);
        assertThat(msgids(store().page("#lobby", Page.between(at(7), id(3), 100)))).containsExactly(4L, 5L, 6L);
    }

    // ---- mailbox ----

    @Test
    @DisplayName("a mailbox keeps deposits oldest first up to its capacity, then refuses")
    default void mailboxCapacity() {
        StoredMessage first = message("@alice|bob", 1, 1);
        StoredMessage second = message("@alice|bob", 2, 2);
        StoredMessage third = message("@alice|bob", 3, 3);
        assertThat(await(store().deposit("bob", first, 2))).isTrue();
        assertThat(await(store().deposit("bob", second, 2))).isTrue();
        assertThat(await(store().deposit("bob", third, 2))).isFalse();

        assertThat(store().mailbox("bob", 10)).containsExactly(first, second);
        assertThat(store().mailbox("bob", 1)).containsExactly(first);
        assertThat(store().mailbox("alice", 10)).isEmpty();
    }

    @Test
    @DisplayName("acknowledge removes the waiting messages up to and including the one named, for that account")
    default void acknowledge() {
        for (int msgid = 1; msgid <= 4; msgid++) {
            await(store().deposit("bob", message("@alice|bob", msgid, msgid), 10));
        }
        await(store().deposit("carol", message("@alice|carol", 1, 1), 10));

        store().acknowledge("bob", "@alice|bob", 2);

        assertThat(msgids(store().mailbox("bob", 10))).containsExactly(3L, 4L);
        assertThat(store().mailbox("carol", 10)).hasSize(1);
        assertThat(await(store().deposit("bob", message("@alice|bob", 5, 5), 3))).isTrue();

        store().acknowledge("bob", "@alice|bob", 99);
        assertThat(msgids(store().mailbox("bob", 10))).containsExactly(3L, 4L, 5L);
    }

    @Test
    @DisplayName("deposits to a full mailbox made in one burst stop exactly at the capacity")
    default void burstOfDepositsStopsAtCapacity() {
        List<CompletableFuture<Boolean>> stages = new ArrayList<>();
        for (int msgid = 1; msgid <= 20; msgid++) {
            stages.add(store().deposit("bob", message("@alice|bob", msgid, msgid), 5).toCompletableFuture());
        }
        List<Boolean> stored = stages.stream().map(MessageStoreContract::await).toList();
        assertThat(stored.subList(0, 5)).containsOnly(true);
        assertThat(stored.subList(5, 20)).containsOnly(false);
        assertThat(msgids(store().mailbox("bob", 100))).isEqualTo(range(1, 5));
    }

    // ---- prune ----

    @Test
    @DisplayName("prune by count keeps the newest messages of each conversation and the numbering")
    default void pruneByCount() {
        appendMessages("#lobby", 10);
        appendMessages("#small", 2);

        assertThat(store().prune(null, 3)).isEqualTo(7);

        assertThat(msgids(store().page("#lobby", Page.latest(100)))).containsExactly(8L, 9L, 10L);
        assertThat(msgids(store().page("#small", Page.latest(100)))).containsExactly(1L, 2L);
        assertThat(store().lastMsgId("#lobby")).hasValue(10);
        assertThat(store().contains("#lobby", 2)).as("a pruned msgid was had").isTrue();
        assertThat(store().contains("#lobby", 11)).isFalse();
        await(store().append(message("#lobby", 11, 11)));
        assertThat(msgids(store().page("#lobby", Page.latest(100)))).containsExactly(8L, 9L, 10L, 11L);
    }

    @Test
    @DisplayName("prune by age forgets the messages sent before the limit")
    default void pruneByAge() {
        appendMessages("#lobby", 10);
        assertThat(store().prune(T0.plusSeconds(6), Long.MAX_VALUE)).isEqualTo(5);
        assertThat(msgids(store().page("#lobby", Page.latest(100)))).isEqualTo(range(6, 10));
        assertThat(store().prune(T0.plusSeconds(6), Long.MAX_VALUE)).isZero();
    }

    @Test
    @DisplayName("a conversation pruned empty continues its numbering")
    default void prunedEmptyKeepsNumbering() {
        appendMessages("#lobby", 5);
        assertThat(store().prune(T0.plusSeconds(100), Long.MAX_VALUE)).isEqualTo(5);
        assertThat(store().page("#lobby", Page.latest(100))).isEmpty();
        assertThat(store().lastMsgId("#lobby")).hasValue(5);
        await(store().append(message("#lobby", 6, 106)));
        assertThat(msgids(store().page("#lobby", Page.latest(100)))).containsExactly(6L);
    }

    // ---- insert: msgids given elsewhere (a cluster's sequencer), in any order ----

    @Test
    @DisplayName("insert keeps messages numbered elsewhere in any order; pages and lastMsgId follow the msgids")
    default void insertKeepsAnyOrder() {
        for (long msgid : new long[] {5, 2, 9, 1}) {
            await(store().insert(message("#lobby", msgid, msgid)));
        }

        assertThat(msgids(store().page("#lobby", Page.latest(10)))).containsExactly(1L, 2L, 5L, 9L);
        assertThat(msgids(store().page("#lobby", Page.before(id(5), 10)))).containsExactly(1L, 2L);
        assertThat(msgids(store().page("#lobby", Page.after(id(2), 1)))).containsExactly(5L);
        assertThat(store().lastMsgId("#lobby")).hasValue(9);
        assertThat(store().contains("#lobby", 9)).isTrue();
        // Numbering in order continues above the highest msgid inserted.
        await(store().append(message("#lobby", 10, 10)));
        assertThat(store().lastMsgId("#lobby")).hasValue(10);
    }

    @Test
    @DisplayName("insert of a msgid kept already fails with IllegalArgumentException and keeps the first message")
    default void insertRefusesAKeptMsgId() {
        StoredMessage first = message("#lobby", 3, 3);
        await(store().insert(first));
        StoredMessage second = new StoredMessage("#lobby", 3, T0, "mallory", "#lobby", "another message");

        List<CompletableFuture<Void>> stages = List.of(store().insert(second).toCompletableFuture(),
                store().insert(message("#lobby", 4, 4)).toCompletableFuture());

        assertThat(failureOf(() -> stages.get(0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failureOf(() -> stages.get(1))).isNull();
        assertThat(store().page("#lobby", Page.latest(10))).containsExactly(first, message("#lobby", 4, 4));
    }

    @Test
    @DisplayName("inserts from several writers, interleaved out of order, all land and page in msgid order")
    default void concurrentInsertsOutOfOrder() throws Exception {
        int writers = 4;
        int perWriter = 200;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<CompletableFuture<Void>>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    // Writer w holds msgids w+1, w+1+writers, ...: as servers that each write their own sessions'.
                    List<CompletableFuture<Void>> stages = new ArrayList<>();
                    for (int i = perWriter - 1; i >= 0; i -= 2) {
                        long msgid = (long) i * writers + writer + 1;
                        stages.add(store().insert(message("#shared", msgid, msgid)).toCompletableFuture());
                    }
                    for (int i = 0; i < perWriter; i += 2) {
                        long msgid = (long) i * writers + writer + 1;
                        stages.add(store().insert(message("#shared", msgid, msgid)).toCompletableFuture());
                    }
                    return stages;
                }));
            }
            for (Future<List<CompletableFuture<Void>>> result : results) {
                result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).forEach(MessageStoreContract::await);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(msgids(store().page("#shared", Page.latest(writers * perWriter))))
                .isEqualTo(range(1, (long) writers * perWriter));
        assertThat(store().lastMsgId("#shared")).hasValue((long) writers * perWriter);
    }

    // ---- concurrency, close ----

    @Test
    @DisplayName("appends from many threads keep each conversation's order and all complete")
    default void concurrentAppendsKeepOrder() throws Exception {
        int threads = 8;
        int perThread = 250;
        AtomicLong shared = new AtomicLong();
        Object sharedLock = new Object();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<Void>>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String own = "#room" + t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> stages = new ArrayList<>();
                    for (int i = 1; i <= perThread; i++) {
                        stages.add(store().append(message(own, i, i)).toCompletableFuture());
                        // As a room numbers its messages: the msgid is taken and appended under one lock.
                        synchronized (sharedLock) {
                            long msgid = shared.incrementAndGet();
                            stages.add(store().append(message("#shared", msgid, msgid)).toCompletableFuture());
                        }
                    }
                    return stages;
                }));
            }
            for (Future<List<CompletableFuture<Void>>> result : results) {
                result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).forEach(MessageStoreContract::await);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < threads; t++) {
            assertThat(msgids(store().page("#room" + t, Page.latest(1000)))).isEqualTo(range(1, perThread));
        }
        assertThat(msgids(store().page("#shared", Page.latest(threads * perThread))))
                .isEqualTo(range(1, threads * perThread));
    }

    @Test
    @DisplayName("close commits what was appended; calls after close fail with StoreUnavailableException")
    default void closeCommitsThenRefuses() {
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int msgid = 1; msgid <= 200; msgid++) {
            stages.add(store().append(message("#lobby", msgid, msgid)).toCompletableFuture());
        }
        store().close();

        stages.forEach(MessageStoreContract::await);
        assertThat(failureOf(() -> store().append(message("#lobby", 201, 201))))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(failureOf(() -> store().deposit("bob", message("@alice|bob", 1, 1), 10)))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store().page("#lobby", Page.latest(10)))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(store().isAvailable()).isFalse();
        store().close();
    }
}
