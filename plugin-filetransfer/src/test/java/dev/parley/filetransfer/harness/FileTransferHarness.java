package dev.parley.filetransfer.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Session;
import dev.parley.testkit.TestDirectory;
import dev.parley.testkit.TestPluginContext;
import dev.parley.testkit.TestRequest;
import dev.parley.testkit.TestSession;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a plugin in memory on the test kit's unit-level fakes ({@link TestSession}, {@link TestPluginContext},
 * {@link TestDirectory}), as a third-party plugin's tests would: a real timer, a clock the test moves, commands
 * dispatched with core's registration and usage rules ({@link TestRequest#dispatch}), restarts over the same
 * sessions, and helpers for the common steps.
 */
public final class FileTransferHarness implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 20;

    private final MutableClock clock = new MutableClock();
    private final TestDirectory directory = new TestDirectory();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Object> settings;
    private final Function<MutableClock, ParleyPlugin> factory;
    private ParleyPlugin plugin;
    private TestPluginContext context;
    private Map<String, Command> commands;

    /**
     * @param settings the plugin's config section ({@code spool-dir} and any overrides)
     * @param factory  builds a fresh plugin on the given clock (called again by {@link #restart()})
     */
    public FileTransferHarness(Map<String, ?> settings, Function<MutableClock, ParleyPlugin> factory) {
        this.settings = new HashMap<>(settings);
        this.factory = factory;
    }

    public static Map<String, Object> settings(Path spool, Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        map.put("spool-dir", spool.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** Starts a new plugin instance; the previous one, if any, is stopped first (a restart). */
    public ParleyPlugin start() throws Exception {
        if (plugin != null) {
            plugin.stop();
        }
        plugin = factory.apply(clock);
        List<Session> connected = context == null ? List.of() : List.copyOf(context.all());
        context = new TestPluginContext("filetransfer", ConfigFactory.parseMap(settings).atKey("filetransfer"),
                scheduler);
        context.provide(Directory.class, directory);
        connected.forEach(context::open); // still connected across the restart: no sessionOpened for them
        plugin.start(context);
        Map<String, Command> byVerb = new HashMap<>();
        for (Command c : plugin.commands()) {
            byVerb.put(c.verb(), c);
        }
        commands = byVerb;
        return plugin;
    }

    public ParleyPlugin restart() throws Exception {
        return start();
    }

    public ParleyPlugin plugin() {
        return plugin;
    }

    public Map<String, Command> commands() {
        return commands;
    }

    public MutableClock clock() {
        return clock;
    }

    public TestDirectory directory() {
        return directory;
    }

    /** A new registered session under the nick, known to the directory. */
    public TestSession connect(String nick) {
        TestSession session = new TestSession();
        directory.register(session, nick);
        return context.open(session);
    }

    /** A new registered session under the nick, authenticated as the account of the same name. */
    public TestSession connectAuthenticated(String nick) {
        TestSession session = new TestSession().authenticate(nick.toLowerCase(java.util.Locale.ROOT));
        directory.register(session, nick);
        return context.open(session);
    }

    /** The session's connection is gone: it leaves the directory and its rooms. */
    public void disconnect(TestSession session) {
        directory.forget(session);
        session.close(null, null);
    }

    /** The session ended for good (its resume grace ran out): the plugin's session listeners are told. */
    public void end(TestSession session) {
        directory.forget(session);
        context.end(session, "connection lost");
    }

    // ---- dispatching ----

    /** Runs a command as core would, without waiting for its reply. */
    public CompletableFuture<Answer> submit(TestSession session, Frame frame) {
        Command command = commands.get(frame.verb());
        assertThat(command).as("command %s", frame.verb()).isNotNull();
        List<Frame> data = Collections.synchronizedList(new ArrayList<>());
        return TestRequest.dispatch(command, session, frame, line -> {
            data.add(line);
            session.send(line);
        }).toCompletableFuture().thenApply(reply -> answer(frame, reply, data));
    }

    public Answer send(TestSession session, Frame frame) throws Exception {
        return submit(session, frame).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Sends a line of the protocol, e.g. {@code "FETCH abc 0"}. */
    public Answer send(TestSession session, String line) throws Exception {
        return send(session, FrameParser.parse(line));
    }

    private static Answer answer(Frame command, Reply reply, List<Frame> data) {
        return new Answer(reply, reply.toFrame(command.verb(), command.tag(Frame.TAG_ID)), List.copyOf(data));
    }

    // ---- common steps ----

    /** OFFERs the content and returns the reply. */
    public Answer offer(TestSession from, String target, String name, byte[] content) throws Exception {
        return offer(from, target, name, content.length, sha256(content));
    }

    public Answer offer(TestSession from, String target, String name, long size, String sha256) throws Exception {
        return send(from, Frame.of("OFFER").params(target, name, Long.toString(size), sha256).build());
    }

    /** OFFERs the content, asserting success, and returns the file id. */
    public String offerOk(TestSession from, String target, String name, byte[] content) throws Exception {
        Answer answer = offer(from, target, name, content);
        assertThat(answer.isOk()).as("%s", answer).isTrue();
        return answer.param(0);
    }

    public Answer chunk(TestSession from, String id, long offset, byte[] bytes) throws Exception {
        return send(from, Frame.of("CHUNK").params(id, Long.toString(offset)).payload(bytes).build());
    }

    /**
     * Uploads content[from, to) in chunks, asserting every chunk is accepted.
     *
     * @return the last answer
     */
    public Answer upload(TestSession session, String id, byte[] content, int from, int to, int chunkSize)
            throws Exception {
        Answer last = null;
        for (int offset = from; offset < to; offset += chunkSize) {
            int end = Math.min(to, offset + chunkSize);
            byte[] part = java.util.Arrays.copyOfRange(content, offset, end);
            last = chunk(session, id, offset, part);
            if (!last.isOk()) {
                return last;
            }
            assertThat(last.param(1)).isEqualTo(Long.toString(end));
        }
        return last;
    }

    /** FETCHes the file from the offset and returns the bytes of its CHUNK events, checking their order. */
    public byte[] fetch(TestSession session, String id, long offset) throws Exception {
        session.clearEvents();
        Answer answer = send(session, "FETCH " + id + " " + offset);
        assertThat(answer.isOk()).as("%s", answer).isTrue();
        return chunkBytes(session, id, offset);
    }

    /** Concatenates the CHUNK events the session received for the file, asserting they are contiguous. */
    public static byte[] chunkBytes(TestSession session, String id, long offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long expected = offset;
        for (Frame chunk : session.events("CHUNK")) {
            if (!chunk.param(0).equals(id)) {
                continue;
            }
            assertThat(chunk.param(1)).isEqualTo(Long.toString(expected));
            assertThat(chunk.tag(Frame.TAG_SIZE)).isEqualTo(Integer.toString(chunk.payload().length));
            out.writeBytes(chunk.payload());
            expected += chunk.payload().length;
        }
        return out.toByteArray();
    }

    public static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    public static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Override
    public void close() {
        if (plugin != null) {
            plugin.stop();
        }
        scheduler.shutdownNow();
    }
}
