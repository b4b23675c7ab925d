package dev.parley.launcher.store;

import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.store.StoreSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code parley.store.retention} in the background: every {@code retention.interval}, forgets what is
 * older than {@code max-age} and all but the newest {@code max-messages-per-room} of each conversation. Its own
 * thread, since a prune of a SQL store blocks for as long as the database takes.
 */
public final class StorePruner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorePruner.class);

    private final MessageStore store;
    private final StoreSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-store-pruner");
        t.setDaemon(true);
        return t;
    });

    public StorePruner(MessageStore store, StoreSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** Prunes now (in the background) and then every interval. */
    public void start() {
        long every = settings.pruneInterval().toMillis();
        thread.scheduleWithFixedDelay(this::pruneOnce, 0, every, TimeUnit.MILLISECONDS);
    }

    /** One pass; a store that is unavailable is tried again at the next interval. */
    long pruneOnce() {
        Instant olderThan = settings.prunesByAge() ? clock.instant().minus(settings.maxAge()) : null;
        try {
            long forgotten = store.prune(olderThan, settings.maxMessagesPerRoom());
            if (forgotten > 0) {
                log.info("retention: forgot {} messages", forgotten);
            }
            return forgotten;
        } catch (StoreUnavailableException e) {
            log.warn("retention: the store is unavailable ({}); trying again in {}", e.getMessage(),
                    settings.pruneInterval());
            return 0;
        } catch (RuntimeException e) {
            log.error("retention: pruning failed; trying again in {}", settings.pruneInterval(), e);
            return 0;
        }
    }

    /** Stops the pruner, waiting for a pass under way so that the store is not closed beneath it. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
