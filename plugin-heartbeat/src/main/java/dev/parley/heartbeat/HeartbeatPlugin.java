package dev.parley.heartbeat;

import dev.parley.core.spi.Command;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.PluginContext;
import dev.parley.core.spi.Resumption;
import dev.parley.core.spi.RetentionPolicy;
import dev.parley.core.spi.SessionRetention;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
        ResumeTokens tokens = new ResumeTokens(settings.resumeGrace().toNanos());
        context.provide(Resumption.class, tokens);
        LivenessSweep liveness = new LivenessSweep(settings, retention, tokens);
        context.addSessionListener(liveness);
        long period = settings.sweepPeriod().toMillis();
        sweep = context.scheduler().scheduleAtFixedRate(liveness, period, period, TimeUnit.MILLISECONDS);
        commands = new HeartbeatCommands(retention, tokens);
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
