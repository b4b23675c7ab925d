package dev.parley.testkit;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Request} for calling a {@code CommandHandler} directly, without a server: for unit tests that
 * need what {@link ParleyTestKit} cannot give, such as a fake session or a clock the test moves. Everything
 * else (dispatch order, registration, replies on the wire) is better tested with {@link ParleyTestKit}.
 *
 * <pre>{@code
 * List<Frame> data = new ArrayList<>();
 * Reply reply = command.handler().handle(new TestRequest(session, frame, data::add)).toCompletableFuture().join();
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

    @Override
    public void data(Frame line) {
        data.accept(line);
    }
}
