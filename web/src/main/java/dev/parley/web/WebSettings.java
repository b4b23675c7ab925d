package dev.parley.web;

import com.typesafe.config.Config;
import dev.parley.web.http.AddressBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The web module's settings, read once from the configuration (this module's reference.conf, plus the
 * connection limits and TLS keystore of the TCP transport, which WebSocket clients share).
 *
 * @param enabled                  serve HTTP at all
 * @param host                     address to listen on
 * @param port                     port to listen on; 0 for any free port
 * @param trustedProxies           proxies whose X-Forwarded-For names the client
 * @param allowedOrigins           origins whose pages may open /ws; empty: only the server's own
 * @param adminToken               bearer token for the admin API, or "" for none
 * @param idleTimeout              WebSocket idle timeout; zero = none
 * @param maxConnections           WebSocket connections served at once
 * @param maxConnectionsPerAddress WebSocket connections from one client address; 0 = unlimited
 * @param maxLineBytes             longest line (text message), in UTF-8 bytes
 * @param maxPayloadBytes          largest payload (binary message)
 * @param maxPendingBytes          bytes queued for one WebSocket before BYE SLOW_CONSUMER
 * @param handshakeTimeout         time a new WebSocket has to send its first line; zero = no limit
 * @param keystore                 PKCS12 keystore for HTTPS, or null for plain HTTP
 * @param keystorePassword         its password (not kept past start-up by {@link WebServer})
 */
public record WebSettings(boolean enabled, String host, int port, List<AddressBlock> trustedProxies,
                          List<String> allowedOrigins, String adminToken, Duration idleTimeout, int maxConnections,
                          int maxConnectionsPerAddress, int maxLineBytes, int maxPayloadBytes, long maxPendingBytes,
                          Duration handshakeTimeout, Path keystore, String keystorePassword) {

    public WebSettings {
        require(port >= 0 && port <= 65535, "parley.http.port must be between 0 and 65535");
        require(!idleTimeout.isNegative(), "parley.http.idle-timeout must be 0 (none) or more");
        require(maxLineBytes >= 64, "parley.limits.max-line-bytes must be at least 64");
        require(!handshakeTimeout.isNegative(), "parley.limits.handshake-timeout must be 0 (off) or more");
        trustedProxies = List.copyOf(trustedProxies);
        allowedOrigins = List.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            require(origin.equals("*") || origin.matches("https?://[^/\\s]+"),
                    "parley.http.allowed-origins: '" + origin + "' is not an origin like https://chat.example.org");
        }
    }

    /** Reads the settings from the root configuration (the one holding {@code parley}). */
    public static WebSettings from(Config root) {
        String host = root.getString("parley.http.host");
        if (host.isBlank()) {
            host = root.getString("parley.server.host");
        }
        List<AddressBlock> proxies = root.getStringList("parley.http.trusted-proxies").stream()
                .map(text -> AddressBlock.parse(text, "parley.http.trusted-proxies")).toList();
        Path keystore = null;
        String password = "";
        if (root.getBoolean("parley.tls.enabled")) {
            String file = root.getString("parley.tls.keystore");
            require(!file.isBlank(), "parley.tls.keystore must name a PKCS12 file when parley.tls.enabled is true");
            keystore = Path.of(file);
            password = root.getString("parley.tls.keystore-password");
        }
        long payload = root.getBytes("parley.limits.max-payload-bytes");
        require(payload <= Integer.MAX_VALUE - 8, "parley.limits.max-payload-bytes must be below 2 GiB");
        long line = root.getBytes("parley.limits.max-line-bytes");
        require(line <= 16 * 1024 * 1024, "parley.limits.max-line-bytes must be at most 16 MiB");
        return new WebSettings(root.getBoolean("parley.http.enabled"), host, root.getInt("parley.http.port"), proxies,
                root.getStringList("parley.http.allowed-origins"), root.getString("parley.http.admin-token"),
                root.getDuration("parley.http.idle-timeout"), root.getInt("parley.limits.max-connections"),
                root.getInt("parley.limits.max-connections-per-address"), (int) line, (int) payload,
                root.getBytes("parley.limits.max-pending-bytes"), root.getDuration("parley.limits.handshake-timeout"),
                keystore, password);
    }

    /** True when the server speaks HTTPS. */
    public boolean tls() {
        return keystore != null;
    }

    /** Leaves the token and password out: settings get logged. */
    @Override
    public String toString() {
        return "WebSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", trustedProxies="
                + trustedProxies + ", allowedOrigins=" + allowedOrigins + ", adminToken=" + (adminToken.isEmpty()
                ? "none" : "set") + ", tls=" + tls() + "]";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
