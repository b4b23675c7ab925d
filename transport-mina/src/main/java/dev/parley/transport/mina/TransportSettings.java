package dev.parley.transport.mina;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The transport's settings, read once from the configuration (see this module's reference.conf).
 *
 * @param host                      address to listen on
 * @param port                      port to listen on; 0 for any free port
 * @param maxConnections            connections served at once
 * @param maxConnectionsPerAddress  connections served at once from one remote IP address; 0 = unlimited
 * @param maxLineBytes              longest accepted line, without LF
 * @param maxPayloadBytes           largest announced payload
 * @param maxPendingBytes           outbound bytes queued for one session before it is closed as a slow consumer
 * @param ioThreads                 I/O processor threads; resolved, never 0
 * @param handshakeTimeout          time a new connection has to send its first line; zero = no limit
 * @param slowConsumerTimeout       time a connection with unread output may go without its client accepting a
 *                                  byte before it is cut off with BYE SLOW_CONSUMER; zero = no limit
 * @param maxTotalPendingBytes      server-wide budget for unread output and queued input, in bytes; resolved,
 *                                  never 0 (see {@link #defaultTotalPendingBytes()})
 * @param tls                       the server's TLS context, or null for plain TCP; built at start-up, so
 *                                  the keystore password is not kept
 */
public record TransportSettings(String host, int port, int maxConnections, int maxConnectionsPerAddress,
                                int maxLineBytes, int maxPayloadBytes, long maxPendingBytes, int ioThreads,
                                Duration handshakeTimeout, Duration slowConsumerTimeout, long maxTotalPendingBytes,
                                SSLContext tls) {

    public TransportSettings {
        require(port >= 0 && port <= 65535, "parley.server.port must be between 0 and 65535");
        require(maxConnections >= 1, "parley.limits.max-connections must be at least 1");
        require(maxConnectionsPerAddress >= 0, "parley.limits.max-connections-per-address must be 0 (unlimited) or more");
        require(maxLineBytes >= 64, "parley.limits.max-line-bytes must be at least 64");
        require(maxPayloadBytes >= 0, "parley.limits.max-payload-bytes must not be negative");
        require(maxPendingBytes >= 1024, "parley.limits.max-pending-bytes must be at least 1 KiB");
        require(ioThreads >= 1, "parley.transport.io-threads must be 0 (automatic) or more");
        require(handshakeTimeout != null && !handshakeTimeout.isNegative(),
                "parley.limits.handshake-timeout must be 0 (off) or more");
        require(slowConsumerTimeout != null && !slowConsumerTimeout.isNegative(),
                "parley.limits.slow-consumer-timeout must be 0 (off) or more");
        require(maxTotalPendingBytes >= maxPendingBytes,
                "parley.limits.max-total-pending-bytes must be 0 (automatic) or at least max-pending-bytes");
    }

    /** Default slow-consumer-timeout: reference.conf's. */
    public static final Duration DEFAULT_SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(10);

    /**
     * max-total-pending-bytes when set to 0: a quarter of the maximum heap, so that queued bytes, their objects'
     * overhead and everything else the server holds fit with room to spare.
     */
    public static long defaultTotalPendingBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** Plain TCP, no per-address limit, no handshake timeout: for tests and embedding. */
    public TransportSettings(String host, int port, int maxConnections, int maxLineBytes, int maxPayloadBytes,
                             long maxPendingBytes, int ioThreads) {
        this(host, port, maxConnections, 0, maxLineBytes, maxPayloadBytes, maxPendingBytes, ioThreads,
                Duration.ZERO, DEFAULT_SLOW_CONSUMER_TIMEOUT, Math.max(maxPendingBytes, defaultTotalPendingBytes()),
                null);
    }

    /** A copy with other connection limits. */
    public TransportSettings withConnectionLimits(int maxConnectionsPerAddress, Duration handshakeTimeout) {
        return new TransportSettings(host, port, maxConnections, maxConnectionsPerAddress, maxLineBytes,
                maxPayloadBytes, maxPendingBytes, ioThreads, handshakeTimeout, slowConsumerTimeout,
                maxTotalPendingBytes, tls);
    }

    /** A copy with another slow-consumer timeout and server-wide budget. */
    public TransportSettings withPendingLimits(Duration slowConsumerTimeout, long maxTotalPendingBytes) {
        return new TransportSettings(host, port, maxConnections, maxConnectionsPerAddress, maxLineBytes,
                maxPayloadBytes, maxPendingBytes, ioThreads, handshakeTimeout, slowConsumerTimeout,
                maxTotalPendingBytes, tls);
    }

    /** A copy speaking TLS with the given context (null: plain TCP). */
    public TransportSettings withTls(SSLContext context) {
        return new TransportSettings(host, port, maxConnections, maxConnectionsPerAddress, maxLineBytes,
                maxPayloadBytes, maxPendingBytes, ioThreads, handshakeTimeout, slowConsumerTimeout,
                maxTotalPendingBytes, context);
    }

    /**
     * Reads the settings from the root configuration (the one holding {@code parley}). With TLS enabled this
     * loads the keystore now, so a missing file or a wrong password fails start-up with the key's name.
     */
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
        long pending = root.getBytes("parley.limits.max-pending-bytes");
        long total = root.getBytes("parley.limits.max-total-pending-bytes");
        require(total >= 0, "parley.limits.max-total-pending-bytes must be 0 (automatic) or more");
        if (total == 0) {
            total = Math.max(pending, defaultTotalPendingBytes());
        }
        return new TransportSettings(root.getString("parley.server.host"), root.getInt("parley.server.port"),
                root.getInt("parley.limits.max-connections"), root.getInt("parley.limits.max-connections-per-address"),
                (int) line, (int) payload, pending, io, root.getDuration("parley.limits.handshake-timeout"),
                root.getDuration("parley.limits.slow-consumer-timeout"), total, tls(root));
    }

    private static SSLContext tls(Config root) {
        if (!root.getBoolean("parley.tls.enabled")) {
            return null;
        }
        String keystore = root.getString("parley.tls.keystore");
        require(!keystore.isBlank(), "parley.tls.keystore must name a PKCS12 file when parley.tls.enabled is true");
        char[] password = root.getString("parley.tls.keystore-password").toCharArray();
        try {
            return TlsContexts.server(Path.of(keystore), password);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** Leaves the TLS context out: it says nothing useful, and settings get logged. */
    @Override
    public String toString() {
        return "TransportSettings[host=" + host + ", port=" + port + ", maxConnections=" + maxConnections
                + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress + ", maxLineBytes=" + maxLineBytes
                + ", maxPayloadBytes=" + maxPayloadBytes + ", maxPendingBytes=" + maxPendingBytes
                + ", ioThreads=" + ioThreads + ", handshakeTimeout=" + handshakeTimeout
                + ", slowConsumerTimeout=" + slowConsumerTimeout + ", maxTotalPendingBytes=" + maxTotalPendingBytes
                + ", tls=" + (tls != null) + "]";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
