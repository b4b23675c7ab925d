package dev.parley.store.jdbc;

import static dev.parley.testkit.store.MessageStoreContract.await;
import static dev.parley.testkit.store.MessageStoreContract.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The writer completes each committed batch inside the server's groupCompletions hook")
class GroupCompletionsTest {
    @TempDir
    Path home;

    @Test
    @DisplayName("every append's stage completes inside one call of the hook for its batch, on the writer thread")
    void batchesCompleteInsideTheHook() {
        ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
        AtomicInteger calls = new AtomicInteger();
        try (JdbcMessageStore store = JdbcMessageStore.open(StoreUrl.parse("jdbc:sqlite:data/p.db", home), null,
                null, JdbcSettings.defaults())) {
            CountDownLatch attached = new CountDownLatch(1);
            store.groupCompletions(task -> {
                calls.incrementAndGet();
                // Completions wait until every stage below has its callback, so none runs on the test's thread.
                awaitQuietly(attached);
                inside.set(true);
                try {
                    task.run();
                } finally {
                    inside.set(false);
                }
            });
            AtomicInteger completedInside = new AtomicInteger();
            List<CompletableFuture<Void>> stages = new ArrayList<>();
            for (int msgid = 1; msgid <= 500; msgid++) {
                stages.add(store.append(message("#lobby", msgid, msgid)).toCompletableFuture()
                        .whenComplete((ok, failure) -> {
                            if (inside.get()) {
                                completedInside.incrementAndGet();
                            }
                        }));
            }
            attached.countDown();
            stages.forEach(stage -> await(stage));

            assertThat(completedInside).as("completions run inside the hook").hasValue(500);
            assertThat(calls.get()).as("one call per committed batch, not per append").isBetween(1, 499);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
