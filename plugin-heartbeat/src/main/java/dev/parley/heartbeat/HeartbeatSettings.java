package dev.parley.heartbeat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.net.URL;
import java.time.Duration;

/**
 * The heartbeat plugin's settings, read once from {@code parley.heartbeat} (see its reference.conf).
 *
 * @param interval        silence after which the server sends {@code PING}
 * @param timeout         silence after which the server sends {@code BYE TIMEOUT} and closes
 * @param registerTimeout time a connection has to register
 * @param resumeGrace     time a dropped registered session waits for {@code RESUME}
 * @param replayLimit     events kept per registered session for replay
 */
public record HeartbeatSettings(Duration interval, Duration timeout, Duration registerTimeout,
                                Duration resumeGrace, int replayLimit) {

    private static final String PREFIX = "parley.heartbeat.";

    public HeartbeatSettings {
        positive("interval", interval);
        positive("timeout", timeout);
        positive("register-timeout", registerTimeout);
        positive("resume-grace", resumeGrace);
        if (timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException(PREFIX + "timeout (" + timeout + ") must be longer than "
                    + PREFIX + "interval (" + interval + ")");
        }
        if (replayLimit < 1) {
            throw new IllegalArgumentException(PREFIX + "replay-limit must be at least 1, not " + replayLimit);
        }
    }

    /**
     * This module's own reference.conf, parsed once: {@code parseResources} parses and merges every module's
     * (a tenth of the server's start when every plugin does it). On a class path, where the
     * name may find another module's file first, every module's is parsed.
     */
    private static final Config REFERENCE = ownReference();

    private static Config ownReference() {
        URL own = HeartbeatSettings.class.getResource("/reference.conf");
        Config parsed = own == null ? ConfigFactory.empty() : ConfigFactory.parseURL(own);
        return (parsed.hasPath("parley.heartbeat") ? parsed : ConfigFactory.parseResources(HeartbeatSettings.class, "/reference.conf"))
                .getConfig("parley.heartbeat");
    }

    /**
     * Reads the plugin's section, with its defaults applied.
     *
     * @throws IllegalArgumentException naming the key when a value is missing, of the wrong type, out of range,
     *                                  or when the section holds a key the plugin does not know (a typo)
     */
    public static HeartbeatSettings from(Config section) {
        Config reference = REFERENCE;
        for (String key : section.root().keySet()) {
            if (!reference.hasPath(key)) {
                throw new IllegalArgumentException(PREFIX + key + " is not a setting of the heartbeat plugin; known: "
                        + String.join(", ", reference.root().keySet()));
            }
        }
        Config config = section.withFallback(reference);
        try {
            config.checkValid(reference);
            return new HeartbeatSettings(config.getDuration("interval"), config.getDuration("timeout"),
                    config.getDuration("register-timeout"), config.getDuration("resume-grace"),
                    config.getInt("replay-limit"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad heartbeat setting under parley.heartbeat: " + e.getMessage(), e);
        }
    }

    /** How often the sweep looks at every session: a quarter of the shortest period, within 10 ms to 5 s. */
    Duration sweepPeriod() {
        Duration shortest = interval;
        for (Duration d : new Duration[] {timeout, registerTimeout, resumeGrace}) {
            if (d.compareTo(shortest) < 0) {
                shortest = d;
            }
        }
        long millis = Math.max(10, Math.min(5_000, shortest.toMillis() / 4));
        return Duration.ofMillis(millis);
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(PREFIX + key + " must be a positive duration, not " + value);
        }
    }
}
