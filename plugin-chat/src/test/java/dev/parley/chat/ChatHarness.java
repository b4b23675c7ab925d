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
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.testkit.TestRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The chat plugin in memory: commands go through core's FrameParser into the plugin's handlers with
 * core's registration rule, replies come back as core's Reply and as wire lines, events land in fake
 * sessions. No threads of its own; tests that want concurrency call {@link Client#send} from several.
 */
public final class ChatHarness {
    /** Every message is stamped with this instant. */
    public static final Instant NOW = Instant.parse("2026-11-24T23:59:01.123Z");

    private final FakeContext context;
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
        context = new FakeContext(chatSection);
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
        FakeSession session = new FakeSession(ids.incrementAndGet());
        context.open.put(session.id(), session);
        for (SessionListener l : context.listeners) {
            l.sessionOpened(session);
        }
        return new Client(session);
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
        private final FakeSession session;

        private Client(FakeSession session) {
            this.session = session;
        }

        public Session session() {
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
            Optional<Reply> misused = command == null ? Optional.empty()
                    : command.usage().refuse(command.verb(), frame.arguments().size());
            Reply reply;
            if (command == null) {
                reply = Reply.error(ErrorCode.UNKNOWN_COMMAND, "no such command");
            } else if (command.requiresRegistration() && !session.isRegistered()) {
                reply = Reply.error(ErrorCode.NOT_REGISTERED, "register first");
            } else if (misused.isPresent()) {
                reply = misused.get();
            } else {
                Request request = new TestRequest(session, frame, data::add);
                try {
                    reply = command.handler().handle(request).toCompletableFuture().join();
                } catch (Exception e) {
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
            session.close(null, reason);
            context.open.remove(session.id());
            for (SessionListener l : context.listeners) {
                l.sessionEnded(session, reason);
            }
        }
    }
}
