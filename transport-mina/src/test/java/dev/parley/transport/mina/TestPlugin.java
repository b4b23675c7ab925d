package dev.parley.transport.mina;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Commands for exercising the transport through the real core: ECHO answers at once, SLOW later on another
 * thread, BOOM throws, FLOOD pushes events at every other session, SHOUT sends one event to every other session.
 */
final class TestPlugin implements ParleyPlugin {
    private volatile Sessions sessions;

    @Override
    public String name() {
        return "test";
    }

    @Override
    public void start(PluginContext context) {
        sessions = context.sessions();
    }

    @Override
    public List<Command> commands() {
        return List.of(
                Command.sync("ECHO", "ECHO [params] [:text]: answers OK ECHO with them; a payload comes back as DATA",
                        TestPlugin::echo).beforeRegistration(),
                Command.async("SLOW", "Like ECHO, answered a few milliseconds later from another thread",
                        request -> CompletableFuture.supplyAsync(() -> echo(request),
                                CompletableFuture.delayedExecutor(1 + (request.arguments().hashCode() & 3),
                                        TimeUnit.MILLISECONDS))).beforeRegistration(),
                Command.sync("BOOM", "Fails with an exception", request -> {
                    throw new IllegalStateException("boom, as requested");
                }).beforeRegistration(),
                Command.sync("FLOOD", "FLOOD <count> <bytes>: sends count NOISE events to every other session",
                        this::flood).beforeRegistration(),
                Command.sync("SHOUT", "SHOUT <n> :<text>: one NOISE event to every other session, like a room message",
                        this::shout).beforeRegistration());
    }

    private static Reply echo(Request request) {
        Frame frame = request.frame();
        if (frame.payload() != null) {
            request.data(Frame.of("DATA").payload(frame.payload()).build());
        }
        return Reply.ok(frame.params()).withText(frame.trailing());
    }

    private Reply shout(Request request) {
        List<Session> others = sessions.all().stream().filter(s -> s.id() != request.session().id()).toList();
        sessions.send(others, Frame.of("NOISE").param(request.argument(0)).trailing(request.frame().trailing()).build());
        return Reply.ok();
    }

    private Reply flood(Request request) {
        int count = Integer.parseInt(request.argument(0));
        String text = "n".repeat(Integer.parseInt(request.argument(1)));
        List<Session> others = sessions.all().stream().filter(s -> s.id() != request.session().id()).toList();
        for (int i = 0; i < count; i++) {
            sessions.send(others, Frame.of("NOISE").param(Integer.toString(i)).trailing(text).build());
        }
        return Reply.ok(Integer.toString(count));
    }
}
