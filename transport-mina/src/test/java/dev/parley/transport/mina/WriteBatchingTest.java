package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.net.Connection;
import dev.parley.core.net.Connection.HeldWrite;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.ProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link MinaConnection}'s write batching, against a real MINA acceptor and socket. Queueing is made
 * deterministic either by a first frame far larger than the socket buffers (it stays in flight until the client
 * reads) or by holding the connection's lock (a completion needs it). No assertion depends on timing.
 */
class WriteBatchingTest {
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private MinaServer server;

    private LineClient connect(long maxPendingBytes, int receiveBuffer) throws IOException {
        server = new MinaServer(TestServer.settings(10, maxPendingBytes), connection -> {
            accepted.add(connection);
            return new InboundHandler() {
                @Override
                public void frame(Frame frame) {
                }

                @Override
                public void malformed(ProtocolException error, boolean fatal) {
                }

                @Override
                public void closed() {
                }
            };
        });
        return new LineClient(server.start(), receiveBuffer);
    }

    private MinaConnection connection() throws InterruptedException {
        Connection c = accepted.poll(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(c).as("the accepted connection").isNotNull();
        return (MinaConnection) c;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The sizes of the buffers the connection hands MINA from now on, in order. */
    private static List<Integer> recordWrites(MinaConnection connection) {
        List<Integer> writes = new CopyOnWriteArrayList<>();
        sessionOf(connection).getFilterChain().addLast("record", new IoFilterAdapter() {
            @Override
            public void filterWrite(NextFilter next, IoSession s, WriteRequest request) throws Exception {
                writes.add(((IoBuffer) request.getMessage()).remaining());
                next.filterWrite(s, request);
            }
        });
        return writes;
    }

    /**
     * Writes one frame of 16 MiB, far more than the socket buffers take: it stays (partly) in flight until the
     * client reads it, so every frame written after it queues. Returns its size on the wire.
     */
    private static int writeBigFrame(MinaConnection connection) {
        int bigBytes = 16 * 1024 * 1024;
        assertThat(connection.write(line("BIG " + "g".repeat(bigBytes - 5)))).isTrue();
        return bigBytes;
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @DisplayName("frames from several threads (whole and two-part) arrive complete and in order per writer")
    void concurrentWritersInOrder() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            int writers = 4;
            int frames = 5000;
            byte[] sharedBody = line("@k=v BODY " + "b".repeat(40));
            runWriters(writers, writer -> {
                for (int i = 0; i < frames; i++) {
                    if (writer % 2 == 0) {
                        assertThat(connection.write(line("W" + writer + " " + i + " " + "x".repeat(i % 200)))).isTrue();
                    } else {
                        // Two parts, nothing may come between them: "@seq=W<w>:<i>;" + "k=v BODY ..."
                        byte[] prefix = ("@seq=W" + writer + ":" + i + ";").getBytes(StandardCharsets.US_ASCII);
                        assertThat(connection.write(prefix, sharedBody, 1)).isTrue();
                    }
                }
            });
            connection.close();
            assertThat(connection.write(line("late"))).as("a write after close").isFalse();

            int[] next = new int[writers];
            String expectedBody = new String(sharedBody, 1, sharedBody.length - 2, StandardCharsets.US_ASCII);
            for (String l; (l = client.readLine()) != null; ) {
                if (l.startsWith("W")) {
                    String[] parts = l.split(" ");
                    int writer = Integer.parseInt(parts[0].substring(1));
                    assertThat(Integer.parseInt(parts[1])).as("writer %d's next frame", writer).isEqualTo(next[writer]);
                    assertThat(parts.length == 3 ? parts[2] : "").isEqualTo("x".repeat(next[writer] % 200));
                    next[writer]++;
                } else {
                    assertThat(l).startsWith("@seq=W");
                    int colon = l.indexOf(':');
                    int semi = l.indexOf(';');
                    int writer = Integer.parseInt(l.substring(6, colon));
                    assertThat(Integer.parseInt(l.substring(colon + 1, semi))).isEqualTo(next[writer]);
                    assertThat(l.substring(semi + 1)).isEqualTo(expectedBody);
                    next[writer]++;
                }
            }
            assertThat(next).containsOnly(frames);
        }
    }

    @Test
    @DisplayName("frames queued behind a write in flight go out in batches of at most the cap; pendingBytes counts the queue")
    void batchesSplitAtCap() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            List<Integer> writes = recordWrites(connection);
            int frameBytes = 10 * 1024;
            int frames = 40;
            // A first frame far larger than the socket buffers stays in flight until the client reads, so every
            // frame after it waits in the queue: no timing involved.
            int bigBytes = writeBigFrame(connection);
            for (int i = 0; i < frames; i++) {
                String head = "F " + i + " ";
                assertThat(connection.write(line(head + "f".repeat(frameBytes - head.length() - 1)))).isTrue();
            }
            assertThat(writes).containsExactly(bigBytes);
            assertThat(connection.pendingBytes()).isGreaterThanOrEqualTo((long) frames * frameBytes);
            assertThat(client.readLine()).startsWith("BIG ").hasSize(bigBytes - 1);
            for (int i = 0; i < frames; i++) {
                String l = client.readLine();
                assertThat(l).startsWith("F " + i + " ").hasSize(frameBytes - 1);
            }
            // The big frame alone (wrapped, larger than the cap), then 40 frames (400 KiB) in batches of 12 frames
            // (120 KiB) under the 128 KiB cap: 12, 12, 12, 4
            assertThat(writes).containsExactly(bigBytes, 12 * frameBytes, 12 * frameBytes, 12 * frameBytes, 4 * frameBytes);
        }
    }

    @Test
    @DisplayName("numbered events: the @seq digits are written into the batch, joined to the event's tags or before it; pendingBytes counts them and drains to 0")
    void numberedEventsInBatches() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            List<Integer> writes = recordWrites(connection);
            byte[] tagged = line("@id=7 MSG #r alice :hi");
            byte[] plain = line("MSG #r bob :yo");
            // Idle: the first goes out at once, joined. Then a big frame stays in flight until the client reads,
            // so every numbered event after it waits in the queue, as in batchesSplitAtCap.
            assertThat(connection.writeNumbered(1, tagged)).isTrue();
            assertThat(client.readLine()).isEqualTo("@seq=1;id=7 MSG #r alice :hi");
            int bigBytes = writeBigFrame(connection);
            long expectedQueued = 0;
            int events = 3000;
            for (int i = 0; i < events; i++) {
                long seq = i % 2 == 0 ? 2 + i : Long.MAX_VALUE - i;
                byte[] body = i % 3 == 0 ? plain : tagged;
                assertThat(connection.writeNumbered(seq, body)).isTrue();
                expectedQueued += ("@seq=" + seq + ";").length() + body.length - (body == tagged ? 1 : 0);
            }
            // The queue alone (the big frame's unsent rest comes on top, and shrinks while the socket takes it).
            assertThat(connection.pendingBytes()).isGreaterThanOrEqualTo(expectedQueued);

            assertThat(client.readLine()).startsWith("BIG ").hasSize(bigBytes - 1);
            for (int i = 0; i < events; i++) {
                long seq = i % 2 == 0 ? 2 + i : Long.MAX_VALUE - i;
                assertThat(client.readLine()).isEqualTo(i % 3 == 0 ? "@seq=" + seq + " MSG #r bob :yo"
                        : "@seq=" + seq + ";id=7 MSG #r alice :hi");
            }
            assertThat(writes.get(0)).isEqualTo(("@seq=1;id=7 MSG #r alice :hi\n").length());
            assertThat(writes.get(1)).isEqualTo(bigBytes);
            assertThat(writes.subList(2, writes.size())).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(MinaConnection.MAX_BATCH_BYTES));
            assertThat(writes.subList(2, writes.size()).stream().mapToLong(Integer::longValue).sum()).isEqualTo(expectedQueued);
            // MINA counts the last write out just after the client can read it: wait for it, then nothing is left.
            await(() -> connection.pendingBytes() == 0, "nothing pending");
        }
    }

    @Test
    @DisplayName("a hold queues every write (held, plain, numbered, other threads') until flush(), which sends one batch in order")
    void holdUntilFlush() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            List<Integer> writes = recordWrites(connection);
            List<String> expected = List.of("A 1", "A 2", "B 1", "@seq=7;id=1 C 1", "@seq=8 C 2", "D 1");

            assertThat(connection.writeHeld(line("A 1"))).isEqualTo(HeldWrite.HELD);
            assertThat(connection.writeHeld(line("A 2"))).as("held already").isEqualTo(HeldWrite.QUEUED);
            assertThat(connection.write(line("B 1"))).isTrue();
            assertThat(connection.writeNumberedHeld(7, line("@id=1 C 1"))).isEqualTo(HeldWrite.QUEUED);
            assertThat(connection.writeNumbered(8, line("C 2"))).isTrue();
            Thread other = new Thread(() -> connection.write(line("D 1")));
            other.start();
            other.join();
            int bytes = expected.stream().mapToInt(l -> l.length() + 1).sum();
            assertThat(writes).as("nothing reaches MINA during the hold").isEmpty();
            assertThat(connection.pendingBytes()).isEqualTo(bytes);

            connection.flush();
            for (String l : expected) {
                assertThat(client.readLine()).isEqualTo(l);
            }
            assertThat(writes).containsExactly(bytes);

            // Released: the next write goes out at once, and the next hold is this caller's again (once MINA has
            // reported the write complete, which may come after the client has read it).
            assertThat(connection.write(line("E 1"))).isTrue();
            assertThat(client.readLine()).isEqualTo("E 1");
            awaitIdle(connection);
            assertThat(connection.writeHeld(line("F 1"))).isEqualTo(HeldWrite.HELD);
            connection.flush();
            assertThat(client.readLine()).isEqualTo("F 1");
        }
    }

    @Test
    @DisplayName("held writes from several threads, each flushing the holds it started, arrive complete and in order per writer")
    void concurrentHoldsInOrder() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            int writers = 4;
            int frames = 20_000;
            // As workers fan out: bursts of held writes (numbered ones from odd writers), then a flush when this
            // writer started the hold; another writer's socket write may be in flight at any point.
            runWriters(writers, writer -> {
                for (int i = 0; i < frames; ) {
                    boolean started = false;
                    for (int burst = 1 + i % 7; burst > 0 && i < frames; burst--, i++) {
                        byte[] frame = line("W" + writer + " " + i + " " + "x".repeat(i % 300));
                        HeldWrite outcome = writer % 2 == 0
                                ? connection.writeHeld(frame)
                                : connection.writeNumberedHeld(writer * 1_000_000L + i, frame);
                        assertThat(outcome).isNotEqualTo(HeldWrite.REFUSED);
                        started |= outcome == HeldWrite.HELD;
                    }
                    if (started) {
                        connection.flush();
                    }
                }
            });
            connection.close();

            int[] next = new int[writers];
            for (String l; (l = client.readLine()) != null; ) {
                String frame = l;
                if (l.startsWith("@seq=")) {
                    int semi = l.indexOf(' ');
                    frame = l.substring(semi + 1);
                    long seq = Long.parseLong(l.substring(5, semi));
                    int writer = (int) (seq / 1_000_000);
                    assertThat(writer % 2).as("numbered by an odd writer: %s", l).isOne();
                    assertThat(seq % 1_000_000).as("writer %d's sequence number", writer).isEqualTo(next[writer]);
                }
                String[] parts = frame.split(" ");
                int writer = Integer.parseInt(parts[0].substring(1));
                assertThat(Integer.parseInt(parts[1])).as("writer %d's next frame", writer).isEqualTo(next[writer]);
                assertThat(parts.length == 3 ? parts[2] : "").isEqualTo("x".repeat(next[writer] % 300));
                next[writer]++;
            }
            assertThat(next).as("frames each writer's client got").containsOnly(frames);
            assertThat(connection.idle()).isTrue();
        }
    }

    @Test
    @DisplayName("a hold starts behind a write in flight too: that write's completion leaves the held frame to flush()")
    void holdBehindAWriteInFlight() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            int bigBytes = writeBigFrame(connection);
            assertThat(connection.writeHeld(line("after"))).isEqualTo(HeldWrite.HELD);
            assertThat(connection.writeHeld(line("more"))).as("the hold is taken").isEqualTo(HeldWrite.QUEUED);
            assertThat(client.readLine()).startsWith("BIG ").hasSize(bigBytes - 1);
            await(() -> !connection.writing(), "the big write completed");
            assertThat(connection.pendingBytes()).as("still held").isEqualTo(line("after").length + line("more").length);

            connection.flush();
            assertThat(client.readLine()).isEqualTo("after");
            assertThat(client.readLine()).isEqualTo("more");
        }
    }

    @Test
    @DisplayName("close() during a hold: refused from then on, and what was queued goes out at flush(), then the close")
    void closeDuringHold() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            assertThat(connection.writeHeld(line("A 1"))).isEqualTo(HeldWrite.HELD);
            connection.bye(line("BYE SHUTDOWN :bye"));
            assertThat(connection.isOpen()).isFalse();
            assertThat(connection.writeHeld(line("after close"))).isEqualTo(HeldWrite.REFUSED);
            connection.flush();
            assertThat(client.readLine()).isEqualTo("A 1");
            assertThat(client.readLine()).isEqualTo("BYE SHUTDOWN :bye");
            client.expectClosed();
        }
    }

    @Test
    @DisplayName("close() flushes everything queued, then closes; later writes are refused")
    void closeFlushesQueue() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            synchronized (connection) {
                for (int i = 0; i < 1000; i++) {
                    assertThat(connection.write(line("Q " + i))).isTrue();
                }
                connection.close();
                assertThat(connection.write(line("after close"))).isFalse();
                assertThat(connection.isOpen()).isFalse();
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(client.readLine()).isEqualTo("Q " + i);
            }
            client.expectClosed();
        }
    }

    @Test
    @DisplayName("past max-pending-bytes (queue + MINA): the queue is dropped at once, BYE SLOW_CONSUMER follows a whole frame, nothing after it")
    void slowConsumerQueueIsReleasedAndByeIsLast() throws Exception {
        long limit = 256 * 1024;
        try (LineClient client = connect(limit, 4096)) {
            MinaConnection connection = connection();
            int written = 0;
            synchronized (connection) {
                // Nothing drains while the lock is held, so the limit is reached by the queue alone.
                while (connection.write(line("S " + written + " " + "s".repeat(1000)))) {
                    written++;
                }
                assertThat(connection.isOpen()).isFalse();
                assertThat(connection.write(line("after bye"))).isFalse();
                // The close grace would keep the queue for seconds: only the write in flight and the BYE remain.
                assertThat(connection.pendingBytes()).as("bytes kept after the cut-off")
                        .isLessThanOrEqualTo(MinaConnection.MAX_BATCH_BYTES + 200);
            }
            assertThat(written).as("frames accepted before the cut-off").isGreaterThan(200);
            String last = null;
            int seen = 0;
            int others = 0;
            for (String l; (l = client.readLine()) != null; ) {
                if (l.startsWith("S ")) {
                    assertThat(others).as("a frame after the BYE").isZero();
                    assertThat(l).isEqualTo("S " + seen + " " + "s".repeat(1000));
                    seen++;
                } else {
                    others++;
                }
                last = l;
            }
            assertThat(others).isEqualTo(1);
            assertThat(seen).as("frames that reached the client").isLessThan(written);
            assertThat(last).startsWith("BYE SLOW_CONSUMER :");
        }
    }

    @Test
    @DisplayName("with no filter and nothing in MINA, a write goes into the socket on the caller's thread, and a held batch at flush()")
    void directWriteOnTheCallersThread() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            assertThat(connection.write(line("A 1"))).isTrue();
            assertThat(connection.idle()).as("written before write() returned").isTrue();
            assertThat(connection.writeHeld(line("B 1"))).isEqualTo(HeldWrite.HELD);
            assertThat(connection.writeNumberedHeld(9, line("@id=2 B 2"))).isEqualTo(HeldWrite.QUEUED);
            connection.flush();
            assertThat(connection.idle()).as("the batch written before flush() returned").isTrue();
            assertThat(client.readLine()).isEqualTo("A 1");
            assertThat(client.readLine()).isEqualTo("B 1");
            assertThat(client.readLine()).isEqualTo("@seq=9;id=2 B 2");
            assertThat(sessionOf(connection).getWrittenBytes()).as("bytes MINA wrote").isZero();
        }
    }

    @Test
    @DisplayName("what the socket does not take of a direct write goes through MINA, and what follows after it, in order")
    void directWriteRestThroughMina() throws Exception {
        try (LineClient client = connect(64L * 1024 * 1024, 0)) {
            MinaConnection connection = connection();
            int bigBytes = writeBigFrame(connection);
            long rest = connection.pendingBytes();
            assertThat(rest).as("left to MINA").isPositive().isLessThan(bigBytes);
            for (int i = 0; i < 100; i++) {
                assertThat(connection.write(line("F " + i))).isTrue();
            }
            assertThat(client.readLine()).startsWith("BIG ").hasSize(bigBytes - 1);
            for (int i = 0; i < 100; i++) {
                assertThat(client.readLine()).isEqualTo("F " + i);
            }
            assertThat(sessionOf(connection).getWrittenBytes()).as("bytes MINA wrote").isGreaterThanOrEqualTo(rest);
        }
    }

    @Test
    @DisplayName("a direct write to a peer that reset the connection closes it, and later writes are refused")
    void directWriteToAGonePeer() throws Exception {
        LineClient client = connect(64L * 1024 * 1024, 0);
        MinaConnection connection = connection();
        sessionOf(connection).suspendRead(); // so that only a write can find the reset
        client.reset();
        // The first write after the reset may still be taken by the kernel; a later one fails.
        for (int i = 0; i < 200 && connection.isOpen(); i++) {
            connection.write(line("after the reset " + i));
            Thread.sleep(5);
        }
        assertThat(connection.isOpen()).as("closed by the failed write").isFalse();
        assertThat(connection.write(line("later"))).isFalse();
    }

    /** Runs {@code writer} on that many threads at once (given 0, 1, ...), waits for all and fails on any failure. */
    private static void runWriters(int writers, IntConsumer writer) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int w = 0; w < writers; w++) {
            int number = w;
            Thread thread = new Thread(() -> writer.accept(number));
            thread.setUncaughtExceptionHandler((t, e) -> failures.add(e));
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }

    /** Waits (bounded) until MINA has reported every write of the connection complete. */
    private static void awaitIdle(MinaConnection connection) throws InterruptedException {
        await(connection::idle, "no write left in flight");
    }

    /** Waits, at most TestServer.TIMEOUT, until the condition holds, and fails with {@code what} if it never does. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TestServer.TIMEOUT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static IoSession sessionOf(MinaConnection connection) {
        return connection.session();
    }
}
