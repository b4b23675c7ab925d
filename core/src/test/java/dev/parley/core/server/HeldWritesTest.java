package dev.parley.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a worker holds a connection's writes while it drains queued commands, against a transport that batches. */
class HeldWritesTest {

    /**
     * WAIT blocks its worker until released; ECHO answers; SPAM sends its argument's number of events to the
     * sender; LISTEN makes the sender the listener, and TELL sends its argument to the listener as an event.
     */
    static final class TestPlugin implements ParleyPlugin {
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(1);
        volatile Session listener;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void start(PluginContext context) {
        }

        @Override
        public List<Command> commands() {
            return List.of(
                    Command.sync("WAIT", "Block the worker until released", r -> {
                        entered.countDown();
                        try {
                            release.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Reply.ok();
                    }).beforeRegistration(),
                    Command.sync("ECHO", "Echo the arguments", r -> Reply.ok(r.frame().params())).beforeRegistration(),
                    Command.sync("PUT", "Take a payload", r -> Reply.ok(Integer.toString(r.frame().payload().length)))
                            .beforeRegistration(),
                    Command.sync("LISTEN", "Hear what TELL says", r -> {
                        listener = r.session();
                        return Reply.ok();
                    }).beforeRegistration(),
                    Command.sync("TELL", "An event to the listener", r -> {
                        listener.send(Frame.of("EV").param(r.argument(0)).build());
                        return Reply.ok();
                    }).beforeRegistration(),
                    Command.sync("SPAM", "Events to the sender", r -> {
                        int n = Integer.parseInt(r.argument(0));
                        for (int i = 1; i <= n; i++) {
                            r.session().send(Frame.of("EV").param(Integer.toString(i)).build());
                        }
                        return Reply.ok();
                    }).beforeRegistration());
        }
    }

    /**
     * Batches like transport-mina: while held, writes (through any method) queue; flush() sends them as one
     * batch. Each batch is recorded as the frames' text.
     */
    static final class BatchingConnection extends WriteOnlyConnection {
        private final List<List<String>> batches = new ArrayList<>();
        private final List<String> queued = new ArrayList<>();
        private boolean held;

        @Override
        public synchronized boolean write(byte[] encoded) {
            if (held) {
                queued.add(text(encoded));
            } else {
                batches.add(List.of(text(encoded)));
                notifyAll();
            }
            return true;
        }

        @Override
        public synchronized HeldWrite writeHeld(byte[] encoded) {
            queued.add(text(encoded));
            if (held) {
                return HeldWrite.QUEUED;
            }
            held = true;
            return HeldWrite.HELD;
        }

        @Override
        public synchronized void flush() {
            held = false;
            if (!queued.isEmpty()) {
                batches.add(List.copyOf(queued));
                queued.clear();
                notifyAll();
            }
        }

        /** The batches written so far, once their frames add up to {@code frames}. */
        synchronized List<List<String>> awaitFrames(int frames) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (batches.stream().mapToInt(List::size).sum() < frames) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + frames + " frames; got " + batches);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return List.copyOf(batches);
        }

        synchronized boolean isHeld() {
            return held;
        }

        private static String text(byte[] encoded) {
            String s = new String(encoded, StandardCharsets.UTF_8);
            return s.substring(0, s.indexOf('\n'));
        }
    }

    private final TestPlugin plugin = new TestPlugin();
    private final ServerCore core = new ServerCore(new CoreSettings("parley", 2, 100), ConfigFactory.load(),
            List.of(plugin), "test");
    private final BatchingConnection connection = new BatchingConnection();
    private final InboundHandler in;

    private HeldWritesTest() {
        core.start();
        in = core.connected(connection);
    }

    @AfterEach
    void stop() {
        plugin.release.countDown();
        core.shutdown(Duration.ofSeconds(2));
    }

    private void send(String line) {
        parse(in, line);
    }

    @Test
    @DisplayName("the replies to commands queued while the worker was busy leave together, in order, when it is done")
    void queuedCommandsLeaveInOneBatch() throws Exception {
        send("WAIT");
        assertThat(plugin.entered.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 5; i++) {
            send("ECHO " + i);
        }
        plugin.release.countDown();

        List<List<String>> batches = connection.awaitFrames(7);
        assertThat(batches).containsExactly(
                List.of("HELLO parley 1 test :test"),
                List.of("OK WAIT", "OK ECHO 1", "OK ECHO 2", "OK ECHO 3", "OK ECHO 4", "OK ECHO 5"));
        assertThat(connection.isHeld()).as("the hold ends with the drain").isFalse();
    }

    @Test
    @DisplayName("a command with a payload (bulk data, paced by its answers) is held with nothing before or after it")
    void payloadIsNotHeldWithOthers() throws Exception {
        send("WAIT");
        assertThat(plugin.entered.await(5, TimeUnit.SECONDS)).isTrue();
        send("ECHO 0");
        in.frame(Frame.of("PUT").payload(new byte[100]).build());
        send("ECHO 1");
        send("ECHO 2");
        plugin.release.countDown();

        assertThat(connection.awaitFrames(6)).containsExactly(
                List.of("HELLO parley 1 test :test"),
                List.of("OK WAIT", "OK ECHO 0"),
                List.of("OK PUT 100"),
                List.of("OK ECHO 1", "OK ECHO 2"));
    }

    @Test
    @DisplayName("events sent from a thread that runs no command leave in one write per connection inside sendTogether, one each outside")
    void sendTogetherHoldsAnyThread() throws Exception {
        send("LISTEN");
        assertThat(connection.awaitFrames(2)).endsWith(List.of("OK LISTEN"));
        Session listener = plugin.listener;
        Thread reader = new Thread(() -> {
            core.sendTogether(() -> {
                for (int i = 1; i <= 3; i++) {
                    core.send(List.of(listener), Frame.of("EV").param(Integer.toString(i)).build());
                }
            });
            core.send(List.of(listener), Frame.of("EV").param("4").build());
            core.send(List.of(listener), Frame.of("EV").param("5").build());
        }, "not-a-worker");
        reader.start();
        reader.join();

        assertThat(connection.awaitFrames(7)).containsExactly(
                List.of("HELLO parley 1 test :test"), List.of("OK LISTEN"),
                List.of("EV 1", "EV 2", "EV 3"), List.of("EV 4"), List.of("EV 5"));
        assertThat(connection.isHeld()).isFalse();
    }

    @Test
    @DisplayName("a command that arrives alone is answered at once, not held for the next")
    void aLoneCommandIsNotHeldBack() throws Exception {
        send("ECHO 1");
        assertThat(connection.awaitFrames(2)).endsWith(List.of("OK ECHO 1"));
        send("ECHO 2");
        assertThat(connection.awaitFrames(3)).containsExactly(
                List.of("HELLO parley 1 test :test"), List.of("OK ECHO 1"), List.of("OK ECHO 2"));
    }

    @Test
    @DisplayName("queued drains of other sessions run under one hold: a listener gets their events together, each sender its answer after its own drain")
    void drainsQueuedMeanwhileShareOneHold() throws Exception {
        ServerCore oneWorker = new ServerCore(new CoreSettings("parley", 1, 100), ConfigFactory.load(), List.of(plugin), "test");
        oneWorker.start();
        try {
            BatchingConnection listener = new BatchingConnection();
            parse(oneWorker.connected(listener), "LISTEN");
            assertThat(listener.awaitFrames(2)).endsWith(List.of("OK LISTEN"));
            awaitIdle(oneWorker); // else the listener's drain, still looking for more, could run the blocker's under its hold
            InboundHandler blocker = oneWorker.connected(connection);
            parse(blocker, "WAIT");
            assertThat(plugin.entered.await(5, TimeUnit.SECONDS)).isTrue();
            // The only worker is busy: one drain per sender queues behind it, HOLD_DRAINS + 1 of them.
            int senders = HeldWrites.HOLD_DRAINS + 1;
            List<BatchingConnection> connections = new ArrayList<>();
            for (int i = 1; i <= senders; i++) {
                BatchingConnection sender = new BatchingConnection();
                connections.add(sender);
                parse(oneWorker.connected(sender), "TELL " + i);
            }
            plugin.release.countDown();

            // The blocker's drain runs HOLD_DRAINS - 1 queued drains under its hold; the next drain starts a new one.
            List<String> first = new ArrayList<>();
            List<String> second = new ArrayList<>();
            for (int i = 1; i <= senders; i++) {
                (i < HeldWrites.HOLD_DRAINS ? first : second).add("EV " + i);
            }
            assertThat(listener.awaitFrames(2 + senders)).containsExactly(
                    List.of("HELLO parley 1 test :test"), List.of("OK LISTEN"), first, second);
            for (BatchingConnection sender : connections) {
                assertThat(sender.awaitFrames(2)).containsExactly(List.of("HELLO parley 1 test :test"), List.of("OK TELL"));
                assertThat(sender.isHeld()).isFalse();
            }
            assertThat(listener.isHeld()).as("the hold ends when the queue is empty").isFalse();
        } finally {
            oneWorker.shutdown(Duration.ofSeconds(2));
        }
    }

    /** Waits (bounded) until no worker of the core runs a task and none is queued. */
    private static void awaitIdle(ServerCore core) throws InterruptedException {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) core.workers();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((pool.getActiveCount() > 0 || !pool.getQueue().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(pool.getActiveCount()).as("workers busy").isZero();
    }

    private static void parse(InboundHandler in, String line) {
        try {
            in.frame(FrameParser.parse(line));
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("every held connection is flushed once, and the list a burst to thousands grew does not stay that long")
    void aBurstIsFlushedAndItsListShrinks() {
        int[] flushes = new int[5_000];
        HeldWrites held = new HeldWrites(Long.MAX_VALUE);
        held.begin();
        for (int i = 0; i < flushes.length; i++) {
            int index = i;
            held.wrote(new WriteOnlyConnection() {
                @Override
                public boolean write(byte[] encoded) {
                    return true;
                }

                @Override
                public void flush() {
                    flushes[index]++;
                }
            }, Connection.HeldWrite.HELD);
        }
        assertThat(held.capacity()).isGreaterThanOrEqualTo(flushes.length);
        held.end();
        assertThat(flushes).containsOnly(1);
        assertThat(held.capacity()).isEqualTo(16);
    }

    /** A recipient whose held bytes count as pending until a flush, which the socket takes or not. */
    private static final class Recipient extends WriteOnlyConnection {
        private final boolean socketTakes;
        long queued;
        int flushes;

        Recipient(boolean socketTakes) {
            this.socketTakes = socketTakes;
        }

        @Override
        public boolean write(byte[] encoded) {
            return true;
        }

        @Override
        public HeldWrite writeHeld(byte[] encoded) {
            queued += encoded.length;
            return HeldWrite.QUEUED;
        }

        @Override
        public void flush() {
            flushes++;
            if (socketTakes) {
                queued = 0;
            }
        }

        @Override
        public long pendingBytes() {
            return queued;
        }
    }

    @Test
    @DisplayName("a recipient above flow-high-water leaves at once, mid-hold; its sender is told of it only if it stays above")
    void aRecipientAboveHighWaterIsFlushedAtOnce() {
        HeldWrites held = new HeldWrites(100);
        Recipient fast = new Recipient(true);
        Recipient slow = new Recipient(false);
        byte[] event = new byte[60];
        held.begin();
        for (int i = 0; i < 3; i++) {
            for (Recipient r : List.of(fast, slow)) {
                held.wrote(r, r.writeHeld(event));
                held.noteRecipient(r);
            }
        }
        assertThat(fast.flushes).as("flushes of the one whose socket takes it").isEqualTo(1);
        assertThat(fast.queued).isEqualTo(60);
        assertThat(slow.flushes).as("flushes of the one whose socket is full").isEqualTo(2);
        assertThat(held.takeBacklog()).isSameAs(slow);
        held.end();
    }

    @Test
    @DisplayName("a hold is flushed every FLUSH_AFTER writes, so one command's flood does not wait for its end")
    void floodIsFlushedInSlices() throws Exception {
        int events = HeldWrites.FLUSH_AFTER + 10;
        send("SPAM " + events);

        List<List<String>> batches = connection.awaitFrames(1 + events + 1);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(1)).hasSize(HeldWrites.FLUSH_AFTER)
                .startsWith("EV 1").endsWith("EV " + HeldWrites.FLUSH_AFTER);
        assertThat(batches.get(2)).hasSize(11).startsWith("EV " + (HeldWrites.FLUSH_AFTER + 1)).endsWith("OK SPAM");
        assertThat(connection.isHeld()).isFalse();
    }
}
