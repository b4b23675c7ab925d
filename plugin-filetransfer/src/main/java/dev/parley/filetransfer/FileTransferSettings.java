package dev.parley.filetransfer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The plugin's settings, read once from {@code parley.filetransfer} (see its reference.conf).
 *
 * @param spoolDir          where files live; resolved to an absolute path
 * @param maxFileBytes      largest file an OFFER may announce
 * @param quotaBytes        bytes one sender may hold in the spool, unfinished uploads included
 * @param chunkBytes        bytes per CHUNK event of a FETCH
 * @param ttl               how long a file is kept
 * @param sweepInterval     how often expired files are deleted
 * @param fetchWindowBytes  a FETCH reads on only while the client's pending bytes are below this
 * @param fetchPollInterval how often a stalled FETCH looks again
 * @param fetchWaitingInterval how often a FETCH following an upload that has no new bytes says {@code WAITING}
 */
public record FileTransferSettings(Path spoolDir, long maxFileBytes, long quotaBytes, int chunkBytes, Duration ttl,
                                   Duration sweepInterval, long fetchWindowBytes, Duration fetchPollInterval,
                                   Duration fetchWaitingInterval) {

    private static final String PATH = "parley.filetransfer";
    /** The transport's default payload limit; a CHUNK event must fit in what a client accepts. */
    private static final int MAX_CHUNK_BYTES = 1024 * 1024;

    public FileTransferSettings {
        if (spoolDir == null) {
            throw new IllegalArgumentException(PATH + ".spool-dir must name a directory");
        }
        spoolDir = spoolDir.toAbsolutePath().normalize();
        positive(maxFileBytes, "max-file-bytes");
        positive(quotaBytes, "quota-bytes");
        if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException(PATH + ".chunk-bytes must be between 1 byte and 1 MiB, was " + chunkBytes);
        }
        positive(ttl, "ttl");
        positive(sweepInterval, "sweep-interval");
        positive(fetchWindowBytes, "fetch-window-bytes");
        positive(fetchPollInterval, "fetch-poll-interval");
        positive(fetchWaitingInterval, "fetch-waiting-interval");
    }

    /**
     * Reads the plugin's section, with this module's reference.conf beneath it; an unknown key (a typo) or a
     * value of the wrong type fails with the key's name.
     *
     * @param section the {@code parley.filetransfer} section as the server hands it over (may be empty)
     */
    /**
     * This module's own reference.conf, parsed once: {@code parseResources} parses and merges every module's
     * (a tenth of the server's start when every plugin does it). On a class path, where the
     * name may find another module's file first, every module's is parsed.
     */
    private static final Config REFERENCE = ownReference();

    private static Config ownReference() {
        URL own = FileTransferSettings.class.getResource("/reference.conf");
        Config parsed = own == null ? ConfigFactory.empty() : ConfigFactory.parseURL(own);
        return (parsed.hasPath(PATH) ? parsed : ConfigFactory.parseResources(FileTransferSettings.class, "/reference.conf"))
                .getConfig(PATH);
    }

    /**
     * A relative spool directory belongs to the distribution ({@code parley.home}, set by bin/parley) rather
     * than to wherever the server happened to be started.
     */
    static Path spoolDir(String configured, String home) {
        Path dir = Path.of(configured);
        return dir.isAbsolute() || home == null || home.isBlank() ? dir : Path.of(home).resolve(dir);
    }

    public static FileTransferSettings from(Config section) {
        Config reference = REFERENCE;
        for (Map.Entry<String, ?> entry : section.entrySet()) {
            if (!reference.hasPath(entry.getKey())) {
                throw new IllegalArgumentException("unknown setting " + PATH + "." + entry.getKey()
                        + "; see the filetransfer plugin's reference.conf for the valid keys");
            }
        }
        Config config = section.withFallback(reference).resolve();
        try {
            config.checkValid(reference);
            return new FileTransferSettings(
                    spoolDir(config.getString("spool-dir"), System.getProperty("parley.home")),
                    config.getBytes("max-file-bytes"),
                    config.getBytes("quota-bytes"),
                    Math.toIntExact(Math.min(config.getBytes("chunk-bytes"), Integer.MAX_VALUE)),
                    config.getDuration("ttl"),
                    config.getDuration("sweep-interval"),
                    config.getBytes("fetch-window-bytes"),
                    config.getDuration("fetch-poll-interval"),
                    config.getDuration("fetch-waiting-interval"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
        }
    }

    private static void positive(long value, String key) {
        if (value <= 0) {
            throw new IllegalArgumentException(PATH + "." + key + " must be more than 0, was " + value);
        }
    }

    private static void positive(Duration value, String key) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(PATH + "." + key + " must be a positive duration, was " + value);
        }
    }
}
