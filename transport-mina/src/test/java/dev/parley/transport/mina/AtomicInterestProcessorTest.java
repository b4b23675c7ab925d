package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Core pauses a connection's reads from the I/O thread and resumes them from a worker while the I/O thread
 * turns write interest on and off as the socket fills and drains. MINA's own processor rewrites the whole
 * interest set for each change, so those writes can erase a resume: the connection then never reads again.
 *
 * <p>With MINA's {@code NioProcessor} in place of ours (its write-interest change done the way it does it:
 * read the set, flip the bit, write it back), six runs of this test counted 62, 0, 1543, 242, 3 and 413 lost
 * resumes in 200,000 rounds; it is not kept as a test because a run can also lose none.
 */
@DisplayName("AtomicInterestProcessor")
class AtomicInterestProcessorTest {
    private static final int ROUNDS = 200_000;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private NioSocketAcceptor acceptor;
    private IoProcessor<NioSession> processor;
    private Socket client;
    private final AtomicInteger received = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (acceptor != null) {
            acceptor.dispose(true);
        }
        if (processor != null) {
            processor.dispose();
        }
        threads.shutdownNow();
    }

    @Test
    @DisplayName("a resume made while the I/O thread changes write interest is never lost")
    void resumeSurvivesConcurrentWriteInterestChanges() throws Exception {
        int lost = hammer(new AtomicInterestProcessor(threads));

        assertThat(lost).as("resumes whose read interest was gone right after resumeRead()").isZero();
        assertReadsAgain();
    }

    @Test
    @DisplayName("a resume from another thread wakes the I/O thread: waiting input is read at once, not at the select timeout")
    void resumeWakesTheSelector() throws Exception {
        processor = new AtomicInterestProcessor(threads);
        acceptor = new NioSocketAcceptor(threads, processor);
        CompletableFuture<IoSession> opened = new CompletableFuture<>();
        CountDownLatch read = new CountDownLatch(1);
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void sessionOpened(IoSession session) {
                session.suspendRead(); // on the I/O thread, as core pauses a full inbox
                opened.complete(session);
            }

            @Override
            public void messageReceived(IoSession session, Object message) {
                read.countDown();
            }
        });
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        client = new Socket("127.0.0.1", acceptor.getLocalAddress().getPort());
        IoSession session = opened.get(5, TimeUnit.SECONDS);
        client.getOutputStream().write('x');
        client.getOutputStream().flush();
        Thread.sleep(200); // the I/O thread is back in its select, which times out after one second

        long resumed = System.nanoTime();
        session.resumeRead(); // on this thread, as a worker resumes it
        assertThat(read.await(5, TimeUnit.SECONDS)).as("the byte is read").isTrue();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed);
        // Without the wake-up the read waits for the select timeout: ~800 ms here. The bound leaves room for a
        // slow machine and cannot be met by waiting for the timeout.
        assertThat(waitedMs).as("ms from resumeRead() to the read").isLessThan(500);
    }

    /** Suspends and resumes reads ROUNDS times while another thread flips write interest; counts lost resumes. */
    private int hammer(AtomicInterestProcessor tested) throws Exception {
        processor = tested;
        CountDownLatch opened = new CountDownLatch(1);
        acceptor = new NioSocketAcceptor(threads, processor);
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void sessionOpened(IoSession session) {
                opened.countDown();
            }

            @Override
            public void messageReceived(IoSession session, Object message) {
                received.addAndGet(((IoBuffer) message).remaining());
            }
        });
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        client = new Socket("127.0.0.1", acceptor.getLocalAddress().getPort());
        assertThat(opened.await(5, TimeUnit.SECONDS)).isTrue();
        IoSession session = sessionOf(acceptor);

        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> flipper = CompletableFuture.runAsync(() -> {
            for (boolean write = true; !done.get(); write = !write) {
                tested.setInterestedInWrite((NioSession) session, write); // what the I/O thread does per flush
            }
        }, threads);
        int lost = 0;
        try {
            for (int i = 0; i < ROUNDS; i++) {
                session.suspendRead();
                session.resumeRead();
                if (!readsWanted(session)) {
                    lost++;
                    session.suspendRead(); // repair, so one loss does not count twice
                    session.resumeRead();
                }
            }
        } finally {
            done.set(true);
            flipper.get(10, TimeUnit.SECONDS);
        }
        return lost;
    }

    /**
     * Whether the session's key has read interest. MINA moves every key to a new selector when select keeps
     * returning nothing (its guard against the JDK's epoll spin), which the flipping above can provoke: the key
     * read a moment ago may have been cancelled for a new one, so it is looked up again until one answers.
     */
    private static boolean readsWanted(IoSession session) {
        while (true) {
            try {
                return (key(session).interestOps() & SelectionKey.OP_READ) != 0;
            } catch (CancelledKeyException moved) {
                assertThat(session.isConnected()).as("the session is still open").isTrue();
                Thread.onSpinWait();
            }
        }
    }

    /** The connection still reads: a byte the client sends arrives. */
    private void assertReadsAgain() throws Exception {
        OutputStream out = client.getOutputStream();
        out.write('x');
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(received.get()).isEqualTo(1);
    }

    private static IoSession sessionOf(NioSocketAcceptor acceptor) {
        return acceptor.getManagedSessions().values().iterator().next();
    }

    /** MINA's key for the session; its getter is package-private, and MINA (an automatic module) is open. */
    private static SelectionKey key(IoSession session) {
        try {
            Method getter = NioSession.class.getDeclaredMethod("getSelectionKey");
            getter.setAccessible(true);
            return (SelectionKey) getter.invoke(session);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("a write to a peer that reset the connection closes the session instead of throwing (MINA logs a throw at ERROR)")
    void writeToAGonePeerClosesQuietly() throws Exception {
        AtomicInterestProcessor quiet = new AtomicInterestProcessor(threads);
        processor = quiet;
        acceptor = new NioSocketAcceptor(quiet);
        CompletableFuture<IoSession> opened = new CompletableFuture<>();
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void sessionOpened(IoSession session) {
                session.suspendRead(); // so that only the write below can find the reset
                opened.complete(session);
            }
        });
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        client = new Socket("127.0.0.1", acceptor.getLocalAddress().getPort());
        NioSession session = (NioSession) opened.get(5, TimeUnit.SECONDS);
        client.setSoLinger(true, 0);
        client.close(); // a reset, not an orderly close

        int written = -1;
        // The first write after the reset may still be taken by the kernel; a later one fails.
        for (int i = 0; i < 200 && !session.isClosing(); i++) {
            written = quiet.write(session, IoBuffer.wrap(new byte[1024]), 1024);
            Thread.sleep(5);
        }
        assertThat(session.isClosing()).as("closed by the failed write").isTrue();
        assertThat(written).as("nothing written by the failed write").isZero();
    }
}
