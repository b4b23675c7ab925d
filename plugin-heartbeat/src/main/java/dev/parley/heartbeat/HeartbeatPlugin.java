package dev.parley.heartbeat;

import dev.parley.core.spi.ParleyPlugin;

/** The heartbeat plugin. */
public final class HeartbeatPlugin implements ParleyPlugin {
    @Override
    public String name() {
        return "heartbeat";
    }
}
