/**
 * The heartbeat plugin: PING/PONG, idle and registration timeouts, and RESUME of a session whose connection
 * dropped (on core's {@code SessionRetention}; provides core's {@code Resumption} for chat's NICK reply).
 */
module dev.parley.heartbeat {
    requires dev.parley.core;
    requires org.slf4j;

    provides dev.parley.core.spi.ParleyPlugin with dev.parley.heartbeat.HeartbeatPlugin;
}
