package dev.parley.heartbeat;

import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Resumption;
import dev.parley.core.spi.RetentionPolicy;
import dev.parley.core.spi.SessionRetention;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.cluster.NodeListener;
import dev.parley.core.spi.cluster.SessionHandover;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Liveness ({@code PING}/{@code PONG}, timeouts) and resumption ({@code RESUME}, {@code seq} tags): keeps a
 * registered session across a network blip. Core holds the mechanism ({@link SessionRetention}); this plugin
 * holds the policy, the tokens (provided to chat as {@link Resumption}), the sweep and the commands.
 */
public final class HeartbeatPlugin implements ParleyPlugin {
    private HeartbeatCommands commands;
    private ScheduledFuture<?> sweep;

    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public String description() {
        return "PING/PONG, idle and registration timeouts, RESUME after a dropped connection";
    }

    @Override
    public void start(PluginContext context) {
        HeartbeatSettings settings = HeartbeatSettings.from(context.config());
        SessionRetention retention = context.retainSessions(
                new RetentionPolicy(settings.resumeGrace(), settings.replayLimit()));
        Optional<ClusterService> cluster = context.lookup(ClusterService.class);
        ClusterTokens shared = cluster.map(c -> new ClusterTokens(c.map("parley.heartbeat.tokens"), c.nodeId()))
                .orElse(null);
        ResumeTokens tokens = new ResumeTokens(settings.resumeGrace().toNanos(), shared);
        cluster.ifPresent(c -> c.addNodeListener(new NodeListener() {
            @Override
            public void nodeLeft(String departed) {
                // By twice the grace every session of the departed server was taken over or swept.
                context.scheduler().schedule(() -> forget(shared, departed),
                        2 * settings.resumeGrace().toMillis(), TimeUnit.MILLISECONDS);
            }
        }));
        context.provide(Resumption.class, tokens);
        LivenessSweep liveness = new LivenessSweep(settings, retention, tokens);
        context.addSessionListener(liveness);
        long period = settings.sweepPeriod().toMillis();
        sweep = context.scheduler().scheduleAtFixedRate(liveness, period, period, TimeUnit.MILLISECONDS);
        commands = new HeartbeatCommands(retention, tokens, () -> context.lookup(SessionHandover.class));
    }

    private static void forget(ClusterTokens shared, String departed) {
        try {
            shared.forget(departed);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(HeartbeatPlugin.class)
                    .warn("forgetting the resume tokens of departed node {} failed: {}", departed, e.toString());
        }
    }

    @Override
    public List<Command> commands() {
        return commands.all();
    }

    @Override
    public void stop() {
        if (sweep != null) {
            sweep.cancel(false);
        }
    }
}
