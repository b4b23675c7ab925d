package dev.parley.transport.mina;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Request;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Commands for exercising the transport through the real core: ECHO answers at once, SLOW later on another
 * thread, BOOM throws, FLOOD pushes events at every other session, SHOUT sends one event to every other session,
 * KEPT does so like a durable SAY: later, on a writer thread that completes what it took in batches; LOGGED
 * like a message in a cluster: answered at once, sent later by that thread on behalf of its sender.
 */
final class TestPlugin implements ParleyPlugin {
    private volatile Sessions sessions;
    /** KEPTs waiting for the writer, bounded like a store's queue. */
    private final BlockingQueue<Kept> kept = new ArrayBlockingQueue<>(10_000);
    private volatile Thread writer;

    /** @param reply completed once sent (KEPT), or null when answered already (LOGGED) */
    private record Kept(Session from, Frame event, CompletableFuture<Reply> reply) {
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public void start(PluginContext context) {
        sessions = context.sessions();
        writer = new Thread(this::write, "test-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop() {
        writer.interrupt();
    }

    /**
     * As a store's writer and a room settling its committed messages: takes what waits, and inside one
     * sendTogether sends each event to every other session, then answers its sender (KEPT); or, like a cluster
     * log's reader, sends it on behalf of its sender (LOGGED).
     */
    private void write() {
        List<Kept> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(kept.take());
                kept.drainTo(batch, 999);
                Thread.sleep(1); // a commit
                sessions.sendTogether(() -> {
                    for (Kept k : batch) {
                        List<Session> others = sessions.all().stream().filter(s -> s.id() != k.from().id()).toList();
                        if (k.reply() != null) {
                            sessions.send(others, k.event());
                            k.reply().complete(Reply.ok());
                        } else {
                            sessions.sendTogether(k.from().id(), () -> sessions.send(others, k.event()));
                        }
                    }
                });
                batch.clear();
            }
        } catch (InterruptedException stopped) {
            // the plugin stopped
        }
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
                        this::shout).beforeRegistration(),
                Command.async("KEPT", "KEPT <n> :<text>: as SHOUT, sent and answered later by a writer thread",
                        this::keep).beforeRegistration().orderedOverlap(),
                Command.sync("LOGGED", "LOGGED <n> :<text>: as SHOUT, answered at once and sent later by a writer thread",
                        this::log).beforeRegistration());
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

    private CompletableFuture<Reply> keep(Request request) {
        Kept k = new Kept(request.session(),
                Frame.of("NOISE").param(request.argument(0)).trailing(request.frame().trailing()).build(),
                new CompletableFuture<>());
        if (!kept.offer(k)) {
            return CompletableFuture.completedFuture(Reply.error(dev.parley.core.protocol.ErrorCode.INTERNAL, "full"));
        }
        return k.reply();
    }

    private Reply log(Request request) {
        Kept k = new Kept(request.session(),
                Frame.of("NOISE").param(request.argument(0)).trailing(request.frame().trailing()).build(), null);
        return kept.offer(k) ? Reply.ok() : Reply.error(dev.parley.core.protocol.ErrorCode.INTERNAL, "full");
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
