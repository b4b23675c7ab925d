package dev.parley.filetransfer;

import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.filetransfer.spool.FileSpool;
import dev.parley.filetransfer.transfer.FileCommands;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
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

    private final Clock clock;
    private FileSpool spool;
    private ExecutorService io;
    private ScheduledFuture<?> sweeper;
    private List<Command> commands = List.of();

    /** The constructor {@link java.util.ServiceLoader} uses. */
    public FileTransferPlugin() {
        this(Clock.systemUTC());
    }

    /** @param clock decides expiry; tests pass one they can move */
    public FileTransferPlugin(Clock clock) {
        this.clock = clock;
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
        spool = FileSpool.open(settings.spoolDir(), settings.maxFileBytes(), settings.quotaBytes(), settings.ttl(),
                clock);
        if (context.lookup(ClusterService.class).isPresent()) {
            spool.shareWithCluster();
        }
        spool.sweep();
        AtomicInteger n = new AtomicInteger();
        io = Executors.newFixedThreadPool(IO_THREADS, r -> {
            Thread t = new Thread(r, "parley-filetransfer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long every = settings.sweepInterval().toMillis();
        // The timer only hands the sweep over: deleting files is disk I/O, which timer tasks must not do.
        sweeper = context.scheduler().scheduleWithFixedDelay(() -> io.execute(this::sweep), every, every,
                TimeUnit.MILLISECONDS);
        commands = new FileCommands(spool, settings, context, io).commands();
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
