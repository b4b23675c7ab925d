package dev.parley.transport.mina;

import com.typesafe.config.Config;

/**
 * The transport's settings, read once from the configuration (see this module's reference.conf).
 *
 * @param host            address to listen on
 * @param port            port to listen on; 0 for any free port
 * @param maxConnections  connections served at once
 * @param maxLineBytes    longest accepted line, without LF
 * @param maxPayloadBytes largest announced payload
 * @param maxPendingBytes outbound bytes queued for one session before it is closed as a slow consumer
 * @param ioThreads       I/O processor threads; resolved, never 0
 */
public record TransportSettings(String host, int port, int maxConnections, int maxLineBytes, int maxPayloadBytes,
                                long maxPendingBytes, int ioThreads) {

    public TransportSettings {
        require(port >= 0 && port <= 65535, "parley.server.port must be between 0 and 65535");
        require(maxConnections >= 1, "parley.limits.max-connections must be at least 1");
        require(maxLineBytes >= 64, "parley.limits.max-line-bytes must be at least 64");
        require(maxPayloadBytes >= 0, "parley.limits.max-payload-bytes must not be negative");
        require(maxPendingBytes >= 1024, "parley.limits.max-pending-bytes must be at least 1 KiB");
        require(ioThreads >= 1, "parley.transport.io-threads must be 0 (automatic) or more");
    }

    /** Reads the settings from the root configuration (the one holding {@code parley}). */
    public static TransportSettings from(Config root) {
        int io = root.getInt("parley.transport.io-threads");
        require(io >= 0, "parley.transport.io-threads must be 0 (automatic) or more");
        if (io == 0) {
            io = Runtime.getRuntime().availableProcessors();
        }
        long payload = root.getBytes("parley.limits.max-payload-bytes");
        require(payload <= Integer.MAX_VALUE - 8, "parley.limits.max-payload-bytes must be below 2 GiB");
        long line = root.getBytes("parley.limits.max-line-bytes");
        require(line <= 16 * 1024 * 1024, "parley.limits.max-line-bytes must be at most 16 MiB");
        return new TransportSettings(root.getString("parley.server.host"), root.getInt("parley.server.port"),
                root.getInt("parley.limits.max-connections"), (int) line, (int) payload,
                root.getBytes("parley.limits.max-pending-bytes"), io);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
