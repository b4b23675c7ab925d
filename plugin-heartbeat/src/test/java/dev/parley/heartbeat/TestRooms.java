package dev.parley.heartbeat;

import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import dev.parley.core.spi.Resumption;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A chat stand-in: NICK registers (and replies with a resume token the way chat will), TELL fans out
 * through the shared encoding, WHISPER sends a tagged event to one session, LIST answers with data lines,
 * WAIT answers once the test opens its gate.
 * Departures are announced to everyone left as LEFT, like chat does.
 */
final class TestRooms implements ParleyPlugin {
    final LinkedBlockingQueue<String> ended = new LinkedBlockingQueue<>();
    final Map<String, Session> byName = new ConcurrentHashMap<>();
    /** WAIT answers once this opens. */
    volatile CountDownLatch gate = new CountDownLatch(0);
    private PluginContext context;

    @Override
    public String name() {
        return "rooms";
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
        context.addSessionListener(new SessionListener() {
            @Override
            public void sessionEnded(Session session, String reason) {
                Optional<String> name = session.name();
                if (name.isEmpty()) {
                    return;
                }
                byName.remove(name.get(), session);
                ended.add(name.get() + ":" + reason);
                context.sessions().send(byName.values(), Frame.of("LEFT").param(name.get()).trailing(reason).build());
            }
        });
    }

    @Override
    public List<Command> commands() {
        return List.of(
                Command.sync("NICK", "Register", r -> {
                    String nick = r.argument(0);
                    if (byName.putIfAbsent(nick, r.session()) != null) {
                        return Reply.error(new dev.parley.core.protocol.ErrorCode("NICK_IN_USE"), "taken");
                    }
                    r.session().register(nick);
                    Optional<String> token = context.lookup(Resumption.class).map(t -> t.tokenFor(r.session()));
                    return token.isPresent() ? Reply.ok(nick, token.get()) : Reply.ok(nick);
                }).beforeRegistration(),
                Command.sync("TELL", "Event to one session through the shared fan-out", r -> {
                    Session to = byName.get(r.argument(0));
                    context.sessions().send(List.of(to), Frame.of("MSG").param(r.session().name().orElseThrow())
                            .trailing(r.frame().trailing()).build());
                    return Reply.ok();
                }),
                Command.sync("WHISPER", "Tagged event to one session", r -> {
                    byName.get(r.argument(0)).send(Frame.of("MSG").tag("whisper", "")
                            .param(r.session().name().orElseThrow()).trailing(r.frame().trailing()).build());
                    return Reply.ok();
                }),
                Command.sync("LIST", "Two data lines, then OK", r -> {
                    r.data(Frame.of("ITEM").param("a").build());
                    r.data(Frame.of("ITEM").param("b").build());
                    return Reply.ok("2");
                }),
                Command.async("WAIT", "Answer once the gate opens", r -> CompletableFuture.supplyAsync(() -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Reply.ok();
                })),
                Command.sync("WHOAMI", "The session's id and name", r ->
                        Reply.ok(Long.toString(r.session().id()), r.session().name().orElse("*"))));
    }
}
