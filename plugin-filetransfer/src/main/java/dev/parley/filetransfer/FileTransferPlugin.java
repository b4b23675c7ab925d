package dev.parley.filetransfer;

import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.filetransfer.spool.CrashPoints;
import dev.parley.filetransfer.spool.FileSpool;
import dev.parley.filetransfer.transfer.FileCommands;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File transfer between nicks and rooms through a spool on disk: OFFER, CHUNK, FILES, FETCH (see
 * docs/protocol.md). Names and rooms come from core's {@link dev.parley.core.spi.Directory}.
 */
public final class FileTransferPlugin implements ParleyPlugin {
    private static final Logger log = LoggerFactory.getLogger(FileTransferPlugin.class);
    /** FETCH disk reads; a couple of threads suffice because a stalled stream holds none. */
    private static final int IO_THREADS = 2;
    /**
     * Hash updates waiting for a thread. Each upload has at most one queued (its next waits for it), so this is
     * the number of uploads hashed beside their writes at once; more are hashed on their workers.
     */
    private static final int HASH_QUEUE = 256;

    private final Clock clock;
    private final CrashPoints crashPoints;
    private FileSpool spool;
    private ExecutorService io;
    /** SHA-256 of uploads beside their writes; queue bounded, the spool hashes inline when it is full. */
    private ExecutorService hashing;
    private ScheduledFuture<?> sweeper;
    private List<Command> commands = List.of();

    /** The constructor {@link java.util.ServiceLoader} uses. */
    public FileTransferPlugin() {
        this(Clock.systemUTC());
    }

    /** @param clock decides expiry; tests pass one they can move */
    public FileTransferPlugin(Clock clock) {
        this(clock, CrashPoints.NONE);
    }

    /** @param crashPoints where the spool stops as if the process died there; tests use it, production does not */
    public FileTransferPlugin(Clock clock, CrashPoints crashPoints) {
        this.clock = clock;
        this.crashPoints = crashPoints;
    }

    @Override
    public String name() {
        return "filetransfer";
    }

    @Override
    public String description() {
        return "file transfer to nicks and rooms through an on-disk spool";
    }

    @Override
    public void start(PluginContext context) throws Exception {
        FileTransferSettings settings = FileTransferSettings.from(context.config());
        int cores = Runtime.getRuntime().availableProcessors();
        hashing = new ThreadPoolExecutor(cores, cores, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(HASH_QUEUE),
                daemon("parley-filetransfer-hash-"));
        spool = FileSpool.open(settings.spoolDir(), settings.maxFileBytes(), settings.quotaBytes(), settings.ttl(),
                clock, hashing, crashPoints);
        if (context.lookup(ClusterService.class).isPresent()) {
            spool.shareWithCluster(context.lookup(ClusterService.class).get().nodeId());
        } else {
            int gone = spool.forgetEarlierGuests();
            if (gone > 0) {
                log.info("deleted {} files offered to guests of the previous run (their sessions ended with it)", gone);
            }
        }
        spool.sweep();
        io = Executors.newFixedThreadPool(IO_THREADS, daemon("parley-filetransfer-"));
        long every = settings.sweepInterval().toMillis();
        // The timer only hands the sweep over: deleting files is disk I/O, which timer tasks must not do.
        sweeper = context.scheduler().scheduleWithFixedDelay(() -> io.execute(this::sweep), every, every,
                TimeUnit.MILLISECONDS);
        FileCommands files = new FileCommands(spool, settings, context, io);
        commands = files.commands();
        FileSpool started = spool;
        context.addSessionListener(new SessionListener() {
            @Override
            public void sessionEnded(Session session, String reason) {
                // After the resume grace, on a worker: what was offered to a guest ends with its session.
                if (session.account().isEmpty()) {
                    started.sessionEnded(files.owner(session));
                }
            }
        });
    }

    @Override
    public List<Command> commands() {
        return commands;
    }

    @Override
    public void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (io != null) {
            io.shutdownNow();
        }
        if (spool != null) {
            spool.close();
        }
        if (hashing != null) {
            // Not shutdownNow: a dropped update would leave its upload's worker waiting for it forever. The few
            // queued (one per upload at most) finish; later chunks are hashed on their workers.
            hashing.shutdown();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Deletes expired files now; the timer calls it every {@code sweep-interval}. @return how many */
    int sweep() {
        try {
            return spool.sweep();
        } catch (RuntimeException e) {
            log.error("sweeping the spool {} failed; the next sweep tries again", spool.directory(), e);
            return 0;
        }
    }
}
