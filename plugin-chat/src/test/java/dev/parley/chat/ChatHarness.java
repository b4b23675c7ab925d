package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.protocol.FrameParser;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.Reply;
import dev.parley.testkit.TestPluginContext;
import dev.parley.testkit.TestRequest;
import dev.parley.testkit.TestSession;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The chat plugin in memory, on the test kit's unit-level fakes (as a third-party plugin's tests would use
 * them): commands go through core's FrameParser into the plugin's handlers with core's registration and
 * usage rules ({@link TestRequest#dispatch}), replies come back as core's Reply and as wire lines, events
 * land in {@link TestSession}s of a {@link TestPluginContext}. No threads of its own; tests that want
 * concurrency call {@link Client#send} from several.
 */
public final class ChatHarness {
    /** Every message is stamped with this instant. */
    public static final Instant NOW = Instant.parse("2026-11-24T23:59:01.123Z");

    private final TestPluginContext context;
    private final ChatPlugin plugin;
    private final AtomicLong ids = new AtomicLong();

    public ChatHarness() {
        this(ConfigFactory.empty());
    }

    /** @param chatSection settings as under {@code parley.chat}, e.g. {@code history-size = 3} */
    public ChatHarness(String chatSection) {
        this(ConfigFactory.parseString(chatSection));
    }

    private ChatHarness(Config chatSection) {
        context = new TestPluginContext("chat", chatSection.atKey("chat"));
        plugin = new ChatPlugin(Clock.fixed(NOW, ZoneOffset.UTC));
        plugin.start(context);
    }

    /** The plugin's commands as core would list them now (services provided since start count). */
    public Map<String, Command> commands() {
        return plugin.commands().stream().collect(Collectors.toMap(Command::verb, Function.identity()));
    }

    public Directory directory() {
        return context.lookup(Directory.class).orElseThrow();
    }

    /** Offers a service to the plugin as another plugin would (e.g. heartbeat's {@code Resumption}). */
    public <T> void provide(Class<T> type, T service) {
        context.provide(type, service);
    }

    /** A new session without a nick. */
    public Client connect() {
        return new Client(context.open(new TestSession(ids.incrementAndGet())));
    }

    /** A new session that chose the nick. */
    public Client registered(String nick) {
        Client client = connect();
        client.ok("NICK " + nick);
        return client;
    }

    /** The answer to one command: the final reply, the data lines before it, and the reply as written. */
    public record Result(Reply reply, List<Frame> data, String line) {
        public List<String> dataLines() {
            return data.stream().map(Frame::toString).toList();
        }

        public ErrorCode error() {
            return reply.error();
        }
    }

    /** One connected client. */
    public final class Client {
        private final TestSession session;

        private Client(TestSession session) {
            this.session = session;
        }

        public TestSession session() {
            return session;
        }

        /** Sends one command line and returns its answer, as the server's dispatcher would. */
        public Result send(String line) {
            Frame frame;
            try {
                frame = FrameParser.parse(line);
            } catch (ProtocolException e) {
                throw new IllegalArgumentException("the test wrote a malformed line: " + line, e);
            }
            Command command = commands().get(frame.verb());
            List<Frame> data = Collections.synchronizedList(new ArrayList<>());
            Reply reply;
            if (command == null) {
                reply = Reply.error(ErrorCode.UNKNOWN_COMMAND, "no such command");
            } else {
                try {
                    reply = TestRequest.dispatch(command, session, frame, data::add).toCompletableFuture().join();
                } catch (RuntimeException e) {
                    throw new AssertionError(frame.verb() + " threw", e);
                }
            }
            return new Result(reply, List.copyOf(data), reply.toFrame(frame.verb(), frame.tag(Frame.TAG_ID)).toString());
        }

        /** Sends a command that must succeed; returns its reply line. */
        public String ok(String line) {
            Result result = send(line);
            assertThat(result.reply().isOk()).as("%s -> %s", line, result.line()).isTrue();
            return result.line();
        }

        /** Every event received so far, as wire lines. */
        public List<String> events() {
            return session.events().stream().map(Frame::toString).toList();
        }

        /** The events received since the last call, as wire lines. */
        public List<String> takeEvents() {
            return session.takeEvents().stream().map(Frame::toString).toList();
        }

        public List<Frame> eventFrames() {
            return session.events();
        }

        /** The session ends (QUIT or disconnect) with a reason, as the server reports it to listeners. */
        public void end(String reason) {
            context.end(session, reason);
        }
    }
}
