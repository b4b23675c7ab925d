package dev.parley.auth;

import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Reply;
import java.util.List;

/**
 * A stand-in for chat: {@code NICK <name>} registers the session as it is (chat's own reserved-nick rule is
 * tested in chat), and the test keeps the context to look services up as any plugin would.
 */
final class TestNicks implements ParleyPlugin {
    volatile PluginContext context;

    @Override
    public String name() {
        return "nicks";
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }

    @Override
    public List<Command> commands() {
        return List.of(Command.sync("NICK", "register: NICK <name>", request -> {
            request.session().register(request.argument(0));
            return Reply.ok(request.argument(0));
        }).beforeRegistration());
    }
}
