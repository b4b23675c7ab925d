package dev.parley.filetransfer;

import static dev.parley.filetransfer.testkit.FileTransferHarness.randomBytes;
import static dev.parley.filetransfer.testkit.FileTransferHarness.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.net.Connection;
import dev.parley.core.net.InboundHandler;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Session;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin inside core's real {@link ServerCore} and dispatcher, on fake connections: checks that FETCH
 * reads core's {@code Session.pendingBytes()} (the connection's queue) and that the async reply comes last.
 */
@DisplayName("The filetransfer plugin in core's server")
class ServerCoreFetchTest {
    private static final long WINDOW = 128 * 1024;
    private static final int CHUNK = 32 * 1024;

    @TempDir
    Path temp;
    ServerCore core;

    @BeforeEach
    void start() {
        Config root = ConfigFactory.parseMap(Map.of(
                "parley.filetransfer.spool-dir", temp.resolve("spool").toString(),
                "parley.filetransfer.chunk-bytes", CHUNK,
                "parley.filetransfer.fetch-window-bytes", WINDOW,
                "parley.filetransfer.fetch-poll-interval", "1 ms"));
        core = new ServerCore(new CoreSettings("test", 4, 64), root,
                List.of(new NamesPlugin(), new FileTransferPlugin()), "test");
        core.start();
    }

    @AfterEach
    void stop() {
        core.shutdown(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("FETCH sends no more than the window while the connection does not drain, then finishes")
    void flowControl() throws Exception {
        FakeConnection alice = connect("alice");
        FakeConnection bob = connect("bob");
        byte[] content = randomBytes(1_000_000, 11);
        alice.send(Frame.of("OFFER").params("bob", "big.bin", Integer.toString(content.length), sha256(content)).build());
        String id = alice.awaitReply("OFFER").param(1);
        for (int offset = 0; offset < content.length; offset += 400_000) {
            byte[] part = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + 400_000));
            alice.send(Frame.of("CHUNK").params(id, Integer.toString(offset)).payload(part).build());
        }
        assertThat(alice.awaitReply("CHUNK").param(2)).isEqualTo("400000");
        assertThat(alice.awaitReply("CHUNK").param(2)).isEqualTo("800000");
        assertThat(alice.awaitReply("CHUNK").param(2)).isEqualTo("1000000");
        assertThat(bob.awaitFrame("FILE").param(0)).isEqualTo(id);

        bob.stall();
        long before = bob.written();
        bob.send(Frame.of("FETCH").param(id).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bob.written() - before < WINDOW && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Thread.sleep(100);
        assertThat(bob.written() - before).isBetween(WINDOW, WINDOW + CHUNK + 200);
        assertThat(bob.frames()).noneMatch(f -> f.verb().equals("OK") && "FETCH".equals(f.param(0)));

        bob.drain();
        Frame ok = bob.awaitReply("FETCH");
        assertThat(ok.params()).containsExactly("FETCH", id, "1000000", sha256(content));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (Frame chunk : bob.frames()) {
            if (chunk.verb().equals("CHUNK")) {
                received.writeBytes(chunk.payload());
            }
        }
        assertThat(received.toByteArray()).isEqualTo(content);
    }

    @Test
    @DisplayName("with resumption on, FILE is an event (numbered, replayable) but FETCH's chunks are data lines")
    void chunksAreNotReplayed() throws Exception {
        core.shutdown(Duration.ofSeconds(5));
        ParleyPlugin retaining = new ParleyPlugin() {
            @Override
            public String name() {
                return "retaining";
            }

            @Override
            public void start(PluginContext context) {
                context.retainSessions(new dev.parley.core.spi.RetentionPolicy(Duration.ofSeconds(30), 4));
            }
        };
        core = new ServerCore(new CoreSettings("test", 4, 64), ConfigFactory.parseMap(Map.of(
                "parley.filetransfer.spool-dir", temp.resolve("spool2").toString(),
                "parley.filetransfer.chunk-bytes", CHUNK)),
                List.of(new NamesPlugin(), new FileTransferPlugin(), retaining), "test");
        core.start();
        FakeConnection alice = connect("alice");
        FakeConnection bob = connect("bob");
        byte[] content = randomBytes(10 * CHUNK, 3);
        alice.send(Frame.of("OFFER").params("bob", "f.bin", Integer.toString(content.length), sha256(content)).build());
        String id = alice.awaitReply("OFFER").param(1);
        alice.send(Frame.of("CHUNK").params(id, "0").payload(content).build());
        alice.awaitReply("CHUNK");
        assertThat(bob.awaitFrame("FILE").tag("seq")).isEqualTo("1");
        bob.send(Frame.of("FETCH").param(id).build());
        bob.awaitReply("FETCH");
        List<Frame> chunks = bob.frames().stream().filter(f -> f.verb().equals("CHUNK")).toList();
        assertThat(chunks).hasSize(10).allSatisfy(chunk -> assertThat(chunk.tag("seq")).isNull());
    }

    private FakeConnection connect(String nick) throws Exception {
        FakeConnection connection = new FakeConnection();
        connection.inbound = core.connected(connection);
        connection.send(Frame.of("NICK").param(nick).build());
        connection.awaitReply("NICK");
        return connection;
    }

    /** A connection whose queue drains at once unless stalled; decodes what the server writes. */
    private static final class FakeConnection implements Connection {
        private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        private final AtomicLong written = new AtomicLong();
        private final AtomicLong drained = new AtomicLong();
        private volatile boolean stalled;
        private volatile boolean open = true;
        InboundHandler inbound;
        private final Map<String, Integer> repliesRead = new ConcurrentHashMap<>();

        void send(Frame frame) {
            inbound.frame(frame);
        }

        void stall() {
            stalled = true;
        }

        void drain() {
            stalled = false;
            drained.set(written.get());
        }

        long written() {
            return written.get();
        }

        @Override
        public SocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("test", 1);
        }

        @Override
        public synchronized boolean write(byte[] encoded) {
            wire.writeBytes(encoded);
            written.addAndGet(encoded.length);
            if (!stalled) {
                drained.addAndGet(encoded.length);
            }
            return open;
        }

        @Override
        public long pendingBytes() {
            return written.get() - drained.get();
        }

        @Override
        public void suspendInput() {
        }

        @Override
        public void resumeInput() {
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                inbound.closed();
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        /** Every frame written so far, decoded (payloads included). */
        synchronized List<Frame> frames() throws Exception {
            byte[] bytes = wire.toByteArray();
            List<Frame> frames = new ArrayList<>();
            int pos = 0;
            while (pos < bytes.length) {
                int lf = pos;
                while (bytes[lf] != '\n') {
                    lf++;
                }
                Frame frame = FrameParser.parse(new String(bytes, pos, lf - pos, StandardCharsets.UTF_8));
                int size = (int) FrameParser.payloadSize(frame);
                pos = lf + 1;
                if (size > 0) {
                    frame = new Frame(frame.tags(), frame.verb(), frame.params(), frame.trailing(),
                            Arrays.copyOfRange(bytes, pos, pos + size));
                    pos += size;
                }
                frames.add(frame);
            }
            return frames;
        }

        Frame awaitFrame(String verb) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                for (Frame f : frames()) {
                    if (f.verb().equals(verb)) {
                        return f;
                    }
                }
                Thread.onSpinWait();
            }
            throw new AssertionError("no " + verb + " within 10 s: " + frames());
        }

        /** The next final reply (OK or ERR) to the verb not returned before. */
        Frame awaitReply(String verb) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                int seen = 0;
                int read = repliesRead.getOrDefault(verb, 0);
                for (Frame f : frames()) {
                    if ((f.verb().equals("OK") || f.verb().equals("ERR")) && verb.equals(f.param(0))
                            && seen++ == read) {
                        repliesRead.put(verb, read + 1);
                        assertThat(f.verb()).as("%s", f).isEqualTo("OK");
                        return f;
                    }
                }
                Thread.onSpinWait();
            }
            throw new AssertionError("no reply to " + verb + " within 10 s: " + frames());
        }
    }

    /** Stands in for chat: NICK registers, and a Directory of nicks. */
    private static final class NamesPlugin implements ParleyPlugin, Directory {
        private final Map<String, Session> byName = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "names";
        }

        @Override
        public void start(PluginContext context) {
            context.provide(Directory.class, this);
        }

        @Override
        public List<Command> commands() {
            return List.of(Command.sync("NICK", "NICK <name>", request -> {
                String name = request.argument(0);
                request.session().register(name);
                byName.put(canonical(name), request.session());
                return Reply.ok(name);
            }).beforeRegistration());
        }

        @Override
        public String canonical(String name) {
            return name.toLowerCase(Locale.ROOT);
        }

        @Override
        public Optional<Session> session(String name) {
            return Optional.ofNullable(byName.get(canonical(name)));
        }

        @Override
        public Optional<Collection<Session>> members(String room) {
            return Optional.empty();
        }

        @Override
        public boolean isMember(String room, Session session) {
            return false;
        }
    }
}
