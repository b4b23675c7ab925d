package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.FlowCounts;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Producer flow control and slow-consumer cut-offs over real sockets (docs/protocol.md, "Flow control"): senders
 * wait for recipients above the high-water mark, a reader that stopped is cut off, one that reads never is.
 */
@DisplayName("flow control")
@Timeout(120)
class FlowControlTest {

    private static final String TEXT = "m".repeat(1000);

    private static CoreSettings core(long highWater, long lowWater, Duration maxStall) {
        return new CoreSettings("parley", 4, 256).withFlow(highWater, lowWater, maxStall);
    }

    private static TransportSettings transport(long maxPending, Duration slowConsumerTimeout) {
        return TestServer.settings(100, maxPending).withPendingLimits(slowConsumerTimeout, 64L << 20);
    }

    private static String shouts(int from, int to) {
        StringBuilder batch = new StringBuilder();
        for (int i = from; i < to; i++) {
            batch.append("SHOUT ").append(i).append(" :").append(TEXT).append('\n');
        }
        return batch.toString();
    }

    /** Sends on another thread, since the server may stop reading the sender (that is what is tested). */
    private static CompletableFuture<Void> sendAsync(LineClient client, String text) {
        return CompletableFuture.runAsync(() -> {
            try {
                client.send(text);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /** Counts the sender's OK SHOUT answers as they arrive, on a thread of its own. */
    private static CompletableFuture<Integer> countOks(LineClient sender, int expected, AtomicInteger count) {
        return countOks(sender, expected, count, "OK SHOUT");
    }

    /** Counts the sender's answers as they arrive, on a thread of its own. */
    private static CompletableFuture<Integer> countOks(LineClient sender, int expected, AtomicInteger count, String ok) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                while (count.get() < expected) {
                    assertThat(sender.readLine()).isEqualTo(ok);
                    count.incrementAndGet();
                }
                return count.get();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /**
     * Reads a raw member's HELLO and then {@code n} NOISE events numbered from 0, 4 KiB at a time with
     * {@code pauseMillis} between reads (0: at full speed); returns the events read before the stream ended.
     */
    private static int readEvents(InputStream in, int n, long pauseMillis) throws IOException {
        StringBuilder line = new StringBuilder();
        byte[] buffer = new byte[4096];
        int events = 0;
        boolean hello = false;
        while (events < n) {
            int read = in.read(buffer);
            if (read < 0) {
                return events;
            }
            for (int i = 0; i < read; i++) {
                if (buffer[i] != '\n') {
                    line.append((char) buffer[i]);
                    continue;
                }
                if (!hello) {
                    assertThat(line.toString()).startsWith("HELLO ");
                    hello = true;
                } else if (line.toString().startsWith("BYE ")) {
                    return events; // cut off: counted by what arrived
                } else {
                    assertThat(line.toString()).isEqualTo("NOISE " + events + " :" + TEXT);
                    events++;
                }
                line.setLength(0);
            }
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return events;
                }
            }
        }
        return events;
    }

    @Test
    @DisplayName("a client that never reads is cut off within slow-consumer-timeout while a reading member gets everything")
    void stoppedReaderIsCutOffInTime() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        try (TestServer server = TestServer.start(core(64 * 1024, 16 * 1024, Duration.ofMillis(10)),
                transport(16L << 20, timeout));
             Socket stopped = new Socket()) {
            stopped.setReceiveBufferSize(4096);
            stopped.connect(server.address, 5000); // connects, never reads a byte
            TestServer.await("the silent client is connected", () -> server.transport.connectionCount() == 1);
            try (LineClient reader = server.connect().hello();
                 LineClient sender = server.connect().hello()) {
                int n = 3000; // 3 MB: far below max-pending-bytes, so only the timeout can cut it off
                CompletableFuture<Void> sent = sendAsync(sender, shouts(0, n));
                for (int i = 0; i < n; i++) {
                    assertThat(reader.readLine()).isEqualTo("NOISE " + i + " :" + TEXT);
                }
                for (int i = 0; i < n; i++) {
                    assertThat(sender.readLine()).isEqualTo("OK SHOUT");
                }
                sent.get(10, TimeUnit.SECONDS);
                long doneAt = System.nanoTime();
                TestServer.await("the silent client is cut off", () -> server.transport.connectionCount() == 2);
                long afterDone = System.nanoTime() - doneAt;
                assertThat(Duration.ofNanos(afterDone)).isLessThan(timeout.plusMillis(1500));
                FlowCounts totals = server.core.totals();
                assertThat(totals.slowConsumerCutOffs()).isEqualTo(1);
                assertThat(totals.budgetCutOffs()).isZero();
                // The room went on: the reader still hears the sender.
                sender.send("SHOUT after :still here\n");
                assertThat(reader.readLine()).isEqualTo("NOISE after :still here");
            }
        }
    }

    @Test
    @DisplayName("a client that reads slowly behind a full send buffer is neither cut off by slow-consumer-timeout nor left behind")
    void slowReaderIsNotTakenForStopped() throws Exception {
        // The kernel's send buffer grows to MiBs and reports room only once a third of it is free: at about
        // 800 KB/s the socket takes no byte for more than a second at a time unless the server tries it again.
        Duration timeout = Duration.ofSeconds(1);
        try (TestServer server = TestServer.start(core(64 * 1024, 16 * 1024, Duration.ofMillis(10)),
                transport(1L << 20, timeout));
             Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(server.address, 5000);
            slow.setSoTimeout(10_000);
            TestServer.await("the slow member is connected", () -> server.transport.connectionCount() == 1);
            try (LineClient sender = server.connect().hello()) {
                int n = 6000; // 6 MB: several times the kernel's buffers and max-pending-bytes
                CompletableFuture<Integer> slowGot = CompletableFuture.supplyAsync(() -> {
                    try {
                        return readEvents(slow.getInputStream(), n, 5);
                    } catch (IOException e) {
                        return -1;
                    }
                });
                CompletableFuture<Void> sent = sendAsync(sender, shouts(0, n));
                countOks(sender, n, new AtomicInteger()).get(90, TimeUnit.SECONDS);
                sent.get(10, TimeUnit.SECONDS);
                assertThat(slowGot.get(60, TimeUnit.SECONDS)).as("events the slow reader received").isEqualTo(n);
                FlowCounts totals = server.core.totals();
                assertThat(totals.slowConsumerCutOffs()).isZero();
                assertThat(totals.stalls()).as("the sender was slowed").isPositive();
            }
        }
    }

    @Test
    @DisplayName("above the high-water mark the sender waits; once the member reads below the low-water mark it goes on")
    void highAndLowWaterStallAndResumeTheSender() throws Exception {
        try (TestServer server = TestServer.start(core(64 * 1024, 16 * 1024, Duration.ofSeconds(20)),
                transport(16L << 20, Duration.ZERO));
             Socket member = new Socket()) {
            member.setReceiveBufferSize(4096);
            member.connect(server.address, 5000);
            member.setSoTimeout(10_000);
            TestServer.await("the member is connected", () -> server.transport.connectionCount() == 1);
            try (LineClient sender = server.connect().hello()) {
                long senderId = 2; // sessions are numbered in the order they connected
                // 10 MB: more than the kernel's buffers on the way to the member take (several MB on loopback)
                int n = 10_000;
                AtomicInteger oks = new AtomicInteger();
                CompletableFuture<Void> sent = sendAsync(sender, shouts(0, n));
                CompletableFuture<Integer> answered = countOks(sender, n, oks);
                TestServer.await("the sender waits for the member",
                        () -> server.core.session(senderId).orElseThrow().stalls() >= 1);
                int whileStalled = oks.get();
                assertThat(whileStalled).as("commands answered while the member read nothing").isLessThan(n);

                assertThat(readEvents(member.getInputStream(), n, 0)).isEqualTo(n);
                assertThat(answered.get(20, TimeUnit.SECONDS)).isEqualTo(n);
                sent.get(10, TimeUnit.SECONDS);
                FlowCounts counts = server.core.session(senderId).orElseThrow();
                assertThat(counts.stalls()).isPositive();
                assertThat(counts.stalledNanos()).isPositive();
                assertThat(server.core.totals().slowConsumerCutOffs()).isZero();
                assertThat(server.transport.connectionCount()).isEqualTo(2);
            }
        }
    }

    @Nested
    @DisplayName("events fanned out by a thread that runs no command (a store's commit), after the sender's command ran")
    class CompletedElsewhere {

        private static String kept(int from, int to) {
            return shouts(from, to).replace("SHOUT ", "KEPT ");
        }

        /**
         * @param verb KEPT (answered once a writer thread sent the event, as a durable SAY) or LOGGED (answered at
         *             once, the event sent later by that thread on the sender's behalf, as in a cluster)
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"KEPT", "LOGGED"})
        @DisplayName("the sender waits for a recipient above the high-water mark and goes on once it read below the low-water mark")
        void senderWaitsForTheRecipientsOfItsEventsSentElsewhere(String verb) throws Exception {
            try (TestServer server = TestServer.start(core(64 * 1024, 16 * 1024, Duration.ofSeconds(20)),
                    transport(16L << 20, Duration.ZERO));
                 Socket member = new Socket()) {
                member.setReceiveBufferSize(4096);
                member.connect(server.address, 5000);
                member.setSoTimeout(10_000);
                TestServer.await("the member is connected", () -> server.transport.connectionCount() == 1);
                try (LineClient sender = server.connect().hello()) {
                    long senderId = 2;
                    // 10 MB: more than the kernel's buffers on the way to the member take (several MB on loopback)
                    int n = 10_000;
                    AtomicInteger oks = new AtomicInteger();
                    CompletableFuture<Void> sent = sendAsync(sender, shouts(0, n).replace("SHOUT ", verb + " "));
                    CompletableFuture<Integer> answered = countOks(sender, n, oks, "OK " + verb);
                    TestServer.await("the sender waits for the member",
                            () -> server.core.session(senderId).orElseThrow().stalls() >= 1);
                    Thread.sleep(300);
                    int whileStalled = oks.get();
                    assertThat(whileStalled).as("commands answered while the member read nothing").isLessThan(n);

                    int events = readEvents(member.getInputStream(), n, 0);
                    assertThat(events).isEqualTo(n);
                    assertThat(answered.get(20, TimeUnit.SECONDS)).isEqualTo(n);
                    sent.get(10, TimeUnit.SECONDS);
                    FlowCounts counts = server.core.session(senderId).orElseThrow();
                    assertThat(counts.stalls()).isPositive();
                    assertThat(counts.stalledNanos()).isPositive();
                    assertThat(server.core.totals().slowConsumerCutOffs()).isZero();
                    assertThat(server.transport.connectionCount()).isEqualTo(2);
                }
            }
        }

        @Test
        @DisplayName("a slow reader and one at full speed: the fast one gets everything, the sender is slowed for the slow one")
        void slowAndFastReaderUnderAPipeliningSender() throws Exception {
            try (TestServer server = TestServer.start(core(64 * 1024, 16 * 1024, Duration.ofMillis(10)),
                    transport(1L << 20, Duration.ofSeconds(10)));
                 Socket slow = new Socket()) {
                slow.setReceiveBufferSize(4096);
                slow.connect(server.address, 5000);
                slow.setSoTimeout(10_000);
                TestServer.await("the slow member is connected", () -> server.transport.connectionCount() == 1);
                try (LineClient fast = server.connect().hello();
                     LineClient sender = server.connect().hello()) {
                    int n = 4000; // 4 MB, four times max-pending-bytes
                    CompletableFuture<Integer> slowGot = CompletableFuture.supplyAsync(() -> {
                        try {
                            return readEvents(slow.getInputStream(), n, 5);
                        } catch (IOException e) {
                            return -1;
                        }
                    });
                    CompletableFuture<Integer> fastGot = CompletableFuture.supplyAsync(() -> {
                        int got = 0;
                        try {
                            for (String line; got < n && (line = fast.readLine()) != null; got++) {
                                assertThat(line).isEqualTo("NOISE " + got + " :" + TEXT);
                            }
                        } catch (IOException e) {
                            // cut off: counted by what arrived
                        }
                        return got;
                    });
                    CompletableFuture<Void> sent = sendAsync(sender, kept(0, n));
                    countOks(sender, n, new AtomicInteger(), "OK KEPT").get(90, TimeUnit.SECONDS);
                    sent.get(10, TimeUnit.SECONDS);
                    assertThat(fastGot.get(30, TimeUnit.SECONDS)).as("events the fast reader received").isEqualTo(n);
                    assertThat(slowGot.get(60, TimeUnit.SECONDS)).as("events the slow reader received").isEqualTo(n);
                    FlowCounts totals = server.core.totals();
                    assertThat(totals.slowConsumerCutOffs()).isZero();
                    assertThat(totals.stalls()).as("the sender was slowed").isPositive();
                    assertThat(server.core.session(3).orElseThrow().stalls()).isEqualTo(totals.stalls());
                }
            }
        }
    }

    @Nested
    @DisplayName("readers at full speed under a saturating sender")
    class Saturation {

        /** Five members read as fast as they can while one sender pipelines 20,000 1 kB messages. */
        private FlowCounts saturate(CoreSettings core) throws Exception {
            int members = 5;
            int n = 20_000;
            try (TestServer server = TestServer.start(core, transport(256 * 1024, Duration.ofSeconds(10)))) {
                List<LineClient> readers = new ArrayList<>();
                try {
                    for (int i = 0; i < members; i++) {
                        readers.add(server.connect().hello());
                    }
                    LineClient sender = server.connect().hello();
                    readers.add(sender);
                    List<CompletableFuture<Integer>> received = new ArrayList<>();
                    for (LineClient reader : readers.subList(0, members)) {
                        received.add(CompletableFuture.supplyAsync(() -> {
                            int got = 0;
                            try {
                                for (String line; got < n && (line = reader.readLine()) != null; got++) {
                                    assertThat(line).isEqualTo("NOISE " + got + " :" + TEXT);
                                }
                            } catch (IOException e) {
                                // reset after a cut-off: counted by what arrived
                            }
                            return got;
                        }));
                    }
                    CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                        try {
                            for (int from = 0; from < n; from += 1000) {
                                sender.send(shouts(from, from + 1000));
                            }
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    });
                    AtomicInteger oks = new AtomicInteger();
                    countOks(sender, n, oks).get(90, TimeUnit.SECONDS);
                    sent.get(10, TimeUnit.SECONDS);
                    for (CompletableFuture<Integer> r : received) {
                        assertThat(r.get(30, TimeUnit.SECONDS)).as("events a member received").isEqualTo(n);
                    }
                    return server.core.totals();
                } finally {
                    for (LineClient c : readers) {
                        c.close();
                    }
                }
            }
        }

        @Test
        @DisplayName("none is cut off although max-pending-bytes is only 256 KiB; the sender was slowed instead")
        void fastReadersAreNeverCutOff() throws Exception {
            FlowCounts totals = saturate(core(64 * 1024, 16 * 1024, Duration.ofMillis(10)));
            assertThat(totals.slowConsumerCutOffs()).isZero();
            assertThat(totals.budgetCutOffs()).isZero();
        }
    }
}
