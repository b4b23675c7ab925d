package dev.parley.testkit;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A {@link Request} for calling a {@code CommandHandler} directly, without a server: for unit tests that
 * need what {@link ParleyTestKit} cannot give, such as a {@link TestSession}, a clock the test moves or a
 * plugin restarted over the same sessions. Everything else (dispatch order, authentication, replies on the
 * wire) is better tested with {@link ParleyTestKit}.
 *
 * <pre>{@code
 * List<Frame> data = new ArrayList<>();
 * Reply reply = TestRequest.dispatch(command, session, FrameParser.parse("ROLL 2d6"), data::add)
 *         .toCompletableFuture().join();
 * }</pre>
 *
 * @param session the session that sent the command
 * @param frame   the command frame
 * @param data    receives the data lines the handler sends, in order; may be called from any thread
 */
public record TestRequest(Session session, Frame frame, Consumer<Frame> data) implements Request {

    /** Checks that nothing is null. */
    public TestRequest {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(data, "data");
    }

    /**
     * Runs the command as the server's dispatcher would for a session that may send it: a session that has
     * not registered gets {@code ERR <VERB> NOT_REGISTERED} when the command requires registration, a wrong
     * argument count gets the command's declared usage ({@link dev.parley.core.spi.Usage#refuse}), and
     * otherwise the handler answers. Authentication is not checked: no plugin has made it mandatory here.
     *
     * @return the handler's stage, or a completed one with the refusal; a failed stage when the handler threw
     */
    public static CompletionStage<Reply> dispatch(Command command, Session session, Frame frame, Consumer<Frame> data) {
        if (command.requiresRegistration() && !session.isRegistered()) {
            return CompletableFuture.completedFuture(Reply.error(ErrorCode.NOT_REGISTERED,
                    "register first, then send " + command.verb() + " again"));
        }
        Optional<Reply> misused = command.usage().refuse(command.verb(), frame.arguments().size());
        if (misused.isPresent()) {
            return CompletableFuture.completedFuture(misused.get());
        }
        try {
            CompletionStage<Reply> stage = command.handler().handle(new TestRequest(session, frame, data));
            return stage != null ? stage : CompletableFuture.failedFuture(
                    new IllegalStateException("handler of " + command.verb() + " returned no reply"));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void data(Frame line) {
        data.accept(line);
    }
}
