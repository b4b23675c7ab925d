package dev.parley.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread serving many links: the load tool uses a few of these instead of a thread per
 * connection, so hundreds of members cost the client a few threads. Work for its links (sending, ticking
 * publishers) is run on its thread through {@link #execute}; {@link #onTick} runs after every select.
 */
public final class Reactor implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    /** The one view every line of this thread's reads is handed in. */
    private final Line line = new Line();
    private final List<Runnable> tickers = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long selectTimeoutMillis = 50;

    public Reactor(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Connects (blocking, so connection storms are paced by the caller) and hands the link to this thread. */
    public CompletableFuture<Link> connect(InetSocketAddress address, LinkHandler handler) throws IOException {
        return connect(address, null, handler);
    }

    /**
     * Like {@link #connect(InetSocketAddress, LinkHandler)}, from the local address {@code source} (any free
     * port) when it is not null: one source address has some 28,000 ephemeral ports, so many connections
     * spread over 127.0.0.1-127.0.0.8.
     */
    public CompletableFuture<Link> connect(InetSocketAddress address, InetAddress source, LinkHandler handler)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (source != null) {
            channel.bind(new InetSocketAddress(source, 0));
        }
        channel.connect(address);
        channel.configureBlocking(false);
        Link link = new Link(channel, handler, this);
        CompletableFuture<Link> registered = new CompletableFuture<>();
        execute(() -> {
            try {
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ, link);
                link.register(key);
                registered.complete(link);
            } catch (IOException e) {
                registered.completeExceptionally(e);
            }
        });
        return registered;
    }

    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Adds something run on this thread after every select (e.g. paced publishers); from this thread. */
    public void onTick(Runnable ticker, long selectTimeoutMillis) {
        tickers.add(ticker);
        this.selectTimeoutMillis = Math.min(this.selectTimeoutMillis, Math.max(1, selectTimeoutMillis));
    }

    /** CPU time this reactor's thread used so far, in nanoseconds (-1 where the JVM cannot tell). */
    public long cpuNanos() {
        return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.getId()) : -1;
    }

    private void loop() {
        while (running) {
            try {
                selector.select(selectTimeoutMillis);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Link link = (Link) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isReadable()) {
                        link.read(readBuffer, line);
                    }
                    if (key.isValid() && key.isWritable()) {
                        link.flush();
                    }
                }
                selector.selectedKeys().clear();
                for (Runnable ticker : tickers) {
                    ticker.run();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Closes every link and stops the thread. */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            for (SelectionKey key : selector.keys()) {
                ((Link) key.attachment()).close();
            }
            running = false;
            done.complete(null);
        });
        try {
            done.get(5, java.util.concurrent.TimeUnit.SECONDS);
            thread.join(1000);
            selector.close();
        } catch (Exception e) {
            // the tool is exiting: a reactor that does not stop in time is left to the JVM's exit
        }
    }
}
