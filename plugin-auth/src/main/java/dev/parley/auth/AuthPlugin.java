package dev.parley.auth;

import dev.parley.core.spi.Accounts;
import dev.parley.core.spi.Command;
import dev.parley.core.spi.Directory;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.SessionAuthentication;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.store.AccountStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth plugin: accounts from {@code parley.auth.users}, {@code AUTH}, the server's authentication gate
 * ({@code parley.auth.required}), reserved nicks and operators through core's {@link Accounts}, and
 * {@code ANNOUNCE}. See docs/protocol.md, "Accounts and operators".
 */
public final class AuthPlugin implements ParleyPlugin {
    private ClusterAnnouncer announcer;
    private static final Logger log = LoggerFactory.getLogger(AuthPlugin.class);

    private List<Command> commands = List.of();

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public String description() {
        return "accounts, AUTH, reserved nicks and operators";
    }

    @Override
    public void start(PluginContext context) {
        AuthSettings settings = AuthSettings.from(context.config());
        SessionAuthentication authentication = context.authenticateSessions(settings.required());
        ConfiguredAccounts accounts = new ConfiguredAccounts(settings, () -> context.lookup(Directory.class),
                () -> context.lookup(AccountStore.class), Clock.systemUTC());
        context.provide(Accounts.class, accounts);
        AttemptLimiter limiter = new AttemptLimiter(settings.maxFailures(), settings.failureWindow(),
                AttemptLimiter.DEFAULT_CAPACITY, System::nanoTime);
        announcer = context.lookup(ClusterService.class)
                .map(cluster -> new ClusterAnnouncer(cluster, context.sessions(), context.scheduler())).orElse(null);
        commands = new AuthCommands(accounts, limiter, authentication, context.sessions(), context.scheduler(),
                settings.failureDelay(), announcer)
                .withAccountLife(settings, new AttemptLimiter(settings.registrationsPerHour(), Duration.ofHours(1),
                        AttemptLimiter.DEFAULT_CAPACITY, System::nanoTime))
                .all();
        log.info("{} configured accounts, {} operators; authentication {}; registration {}", settings.users().size(),
                settings.operators().size(), settings.required() ? "required" : "optional",
                settings.openRegistration() ? "open" : "closed");
    }

    @Override
    public List<Command> commands() {
        return commands;
    }

    @Override
    public void stop() {
        if (announcer != null) {
            announcer.stop();
        }
    }
}
