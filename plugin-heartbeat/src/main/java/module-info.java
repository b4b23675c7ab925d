/** The heartbeat plugin. */
module dev.parley.heartbeat {
    requires dev.parley.core;
    requires org.slf4j;

    provides dev.parley.core.spi.ParleyPlugin with dev.parley.heartbeat.HeartbeatPlugin;
}
