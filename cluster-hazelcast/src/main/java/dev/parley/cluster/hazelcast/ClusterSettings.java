package dev.parley.cluster.hazelcast;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's settings, read once from {@code parley.cluster} (see this module's reference.conf).
 *
 * @param name             cluster name; members of other names are ignored
 * @param host             address to bind and announce, or empty for Hazelcast's choice
 * @param port             this member's Hazelcast port
 * @param members          {@code host:port} of members to join over TCP/IP
 * @param properties       Hazelcast properties passed through
 * @param operationTimeout how long an append may take
 * @param minMembers       members that must be reachable for shared structures to work; 0 for a majority of
 *                         {@code members} when they are three or more, else 1
 * @param readerStale      how long a log reader may stand still behind the appends before it stops holding
 *                         them: {@code parley.limits.slow-consumer-timeout} (10 s when that is 0 or absent)
 */
public record ClusterSettings(String name, String host, int port, List<String> members,
                              Map<String, String> properties, Duration operationTimeout, int minMembers,
                              Duration readerStale) {
    static final Duration DEFAULT_READER_STALE = Duration.ofSeconds(10);

    public ClusterSettings(String name, String host, int port, List<String> members, Map<String, String> properties,
                           Duration operationTimeout) {
        this(name, host, port, members, properties, operationTimeout, 0);
    }

    public ClusterSettings(String name, String host, int port, List<String> members, Map<String, String> properties,
                           Duration operationTimeout, int minMembers) {
        this(name, host, port, members, properties, operationTimeout, minMembers, DEFAULT_READER_STALE);
    }

    public ClusterSettings {
        require(!name.isBlank(), "parley.cluster.name must not be empty");
        require(port >= 1 && port <= 65535, "parley.cluster.port must be from 1 to 65535");
        for (String member : members) {
            require(member.matches("[^:\\s]+:\\d{1,5}"), "parley.cluster.members: '" + member
                    + "' is not host:port, e.g. 10.0.0.2:5701");
        }
        require(!operationTimeout.isNegative() && !operationTimeout.isZero(),
                "parley.cluster.operation-timeout must be positive");
        require(minMembers >= 0, "parley.cluster.min-members must be 0 (a majority) or more");
        if (readerStale == null || readerStale.isNegative() || readerStale.isZero()) {
            readerStale = DEFAULT_READER_STALE;
        }
        members = List.copyOf(members);
        properties = Map.copyOf(properties);
    }

    /** Reads {@code parley.cluster} of the root configuration over this module's reference.conf. */
    public static ClusterSettings from(Config root) {
        Config reference = ConfigFactory.parseResources(ClusterSettings.class, "/reference.conf").getConfig("parley.cluster");
        Config given = (root.hasPath("parley.cluster") ? root.getConfig("parley.cluster") : ConfigFactory.empty())
                .withoutPath("enabled");
        for (String key : given.root().keySet()) {
            require(reference.hasPath(key), "parley.cluster." + key + " is not a cluster setting; the settings are"
                    + " enabled, " + String.join(", ", reference.root().keySet().stream().sorted().toList()));
        }
        Config section = given.withFallback(reference);
        try {
            section.checkValid(reference);
            Map<String, String> properties = new TreeMap<>();
            for (Map.Entry<String, ConfigValue> e : section.getObject("hazelcast").entrySet()) {
                properties.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
            }
            return new ClusterSettings(section.getString("name"), section.getString("host"), section.getInt("port"),
                    section.getStringList("members"), properties, section.getDuration("operation-timeout"),
                    section.getInt("min-members"), root.hasPath("parley.limits.slow-consumer-timeout")
                            ? root.getDuration("parley.limits.slow-consumer-timeout") : DEFAULT_READER_STALE);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad cluster setting under parley.cluster: " + e.getMessage(), e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
