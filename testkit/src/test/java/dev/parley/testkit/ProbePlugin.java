package dev.parley.testkit;

import dev.parley.core.protocol.ErrorCode;
import dev.parley.core.protocol.Frame;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A plugin with one command per thing the kit must show: sync, async, data lines, errors, events, config. */
final class ProbePlugin implements ParleyPlugin {
    static final ErrorCode NOT_IN_ROOM = new ErrorCode("NOT_IN_ROOM");

    /** LATER waits for this gate on another thread before answering. */
    volatile CountDownLatch gate = new CountDownLatch(0);
    private PluginContext context;
    private String greeting;

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
        this.greeting = context.config().getString("greeting");
        if (greeting.equals("fail")) {
            throw new IllegalArgumentException("parley.probe.greeting must not be 'fail'");
        }
    }

    @Override
    public List<Command> commands() {
        return List.of(
                Command.sync("ECHO", "ECHO <words>", r -> Reply.ok(r.frame().params())).beforeRegistration(),
                Command.async("LATER", "LATER <word>: answers from another thread", r -> CompletableFuture.supplyAsync(() -> {
                    try {
                        if (!gate.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("gate never opened");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Reply.ok(r.argument(0));
                })).beforeRegistration(),
                Command.sync("LIST", "two data lines, then OK LIST 2", r -> {
                    r.data(Frame.of("ITEM").param("a").build());
                    r.data(Frame.of("ITEM").param("b").build());
                    return Reply.ok("2");
                }).beforeRegistration(),
                Command.sync("GREETING", "the configured greeting", r -> Reply.ok().withText(greeting)).beforeRegistration(),
                Command.sync("SHOUT", "SHOUT <#room> :<text> to the room's other members", r -> {
                    String room = r.argument(0);
                    Directory directory = context.lookup(Directory.class).orElseThrow();
                    if (!directory.isMember(room, r.session())) {
                        return Reply.error(NOT_IN_ROOM, "join " + room + " first");
                    }
                    Frame event = Frame.of("SHOUTED").params(room, r.session().name().orElseThrow())
                            .trailing(r.frame().trailing()).build();
                    context.sessions().send(directory.members(room).orElseThrow().stream()
                            .filter(s -> s != r.session()).toList(), event);
                    return Reply.ok(room);
                }),
                Command.sync("BLOB", "a PAYLOAD event carrying the trailing text as bytes", r -> {
                    r.session().send(Frame.of("PAYLOAD").payload(r.frame().trailing().getBytes()).build());
                    return Reply.ok();
                }).beforeRegistration());
    }
}
