package dev.parley.cluster.hazelcast;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import dev.parley.core.spi.cluster.ClusterProvider;
import dev.parley.core.spi.cluster.ClusterService;
import java.util.List;

/** Starts an embedded Hazelcast member from {@code parley.cluster}: TCP/IP join only, no multicast, no phone-home. */
public final class HazelcastClusterProvider implements ClusterProvider {

    @Override
    public String name() {
        return "hazelcast";
    }

    /**
     * Exit status of a server that stood still past the heartbeat timeout (see {@link FreezeWatch}): the other
     * members counted it out and went on, so it stops as after a crash and its supervisor starts it afresh.
     */
    static final int CUT_OFF_EXIT_STATUS = 4;

    @Override
    public ClusterService start(com.typesafe.config.Config root) {
        return start(root, HazelcastClusterProvider::halt);
    }

    /**
     * As {@link #start(com.typesafe.config.Config)}, with what to do when the node is cut off; tests that run
     * several nodes in one JVM must not halt it.
     */
    static HazelcastCluster start(com.typesafe.config.Config root, Runnable onCutOff) {
        ClusterSettings settings = ClusterSettings.from(root);
        return new HazelcastCluster(Hazelcast.newHazelcastInstance(hazelcastConfig(settings)), settings, onCutOff);
    }

    /** Also used by tests that start members without a whole server. */
    static HazelcastCluster start(ClusterSettings settings) {
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(hazelcastConfig(settings));
        return new HazelcastCluster(instance, settings, () -> { });
    }

    /**
     * Ends the process at once, without the graceful stop: handing sessions over would go through this node's
     * stale copy of the cluster. Its clients see their connections drop and resume on the other nodes, which
     * take their sessions over as after a crash.
     */
    private static void halt() {
        System.err.println("parley: this node stood still longer than the cluster's heartbeat timeout and was counted"
                + " out by the other members; stopping (exit status " + CUT_OFF_EXIT_STATUS + ") so that its clients"
                + " resume on them");
        System.err.flush();
        Runtime.getRuntime().halt(CUT_OFF_EXIT_STATUS);
    }

    /**
     * A shared log's ring buffer: its capacity, and on a cluster with a majority rule, that rule and the merge
     * policy that discards the merging side's copy (see {@link #hazelcastConfig}).
     */
    static RingbufferConfig ringConfig(String name, int capacity, ClusterSettings settings) {
        RingbufferConfig ring = new RingbufferConfig(name).setCapacity(capacity);
        if (majority(settings) > 1) {
            ring.setSplitBrainProtectionName(MAJORITY).setMergePolicyConfig(discard());
        }
        return ring;
    }

    private static MergePolicyConfig discard() {
        return new MergePolicyConfig(DiscardMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE);
    }

    /** Name of the split-brain protection shared structures use when the cluster lists three members or more. */
    static final String MAJORITY = "parley-majority";

    /**
     * parley.cluster.min-members, or more than half of the members listed when they are three or more; else 1
     * (of two nodes neither can outvote the other).
     */
    static int majority(ClusterSettings settings) {
        if (settings.minMembers() > 0) {
            return settings.minMembers();
        }
        long listed = settings.members().stream().distinct().count();
        return listed >= 3 ? (int) (listed / 2 + 1) : 1;
    }

    static Config hazelcastConfig(ClusterSettings settings) {
        Config config = new Config();
        config.setClusterName(settings.name());
        // Hazelcast must load its own classes, not look for them through a plugin layer's loader.
        config.setClassLoader(HazelcastClusterProvider.class.getClassLoader());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        // Parley leaves the cluster itself, after its sessions ended and their LEFT went out; Hazelcast's own
        // JVM hook could leave first.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Members are listed explicitly, so there is nothing to wait for before joining.
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        settings.properties().forEach(config::setProperty);

        // Members talk on an endpoint of Hazelcast's advanced network for members only, not on the default
        // unified port. The unified port's connection set-up waits for the peer's protocol bytes by re-queuing
        // its output pipeline without end once anything is queued for that peer: a member whose process is
        // stopped (its kernel still completes the handshake) made an I/O thread of every other member spin on
        // one core and never select again, starving the connections it also served, heartbeats included, so
        // the two healthy members of three counted each other out (docs/cluster.md, "What splits the
        // survivors"; UnresponsivePeerTest). The members-only set-up blocks its pipeline while it waits.
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig members = new ServerSocketEndpointConfig();
        members.setPort(settings.port()).setPortAutoIncrement(false);
        if (!settings.host().isBlank()) {
            members.getInterfaces().setEnabled(true).addInterface(settings.host());
            config.setProperty("hazelcast.local.localAddress", settings.host());
        }
        network.setMemberEndpointConfig(members);
        int majority = majority(settings);
        if (majority > 1) {
            // A member cut off from the others (a partition, a frozen process) must not go on numbering and
            // appending on its own: its copy of a room's log would give msgids the majority gives too, and the
            // merge after the split would drop one side's messages. Operations need a majority of the listed
            // members to have been heard from recently; on a minority they fail (SAY answers INTERNAL). Not
            // before the first majority gathered: the first node of a fresh cluster works alone.
            long heartbeat = Long.parseLong(settings.properties().getOrDefault("hazelcast.heartbeat.interval.seconds", "5"));
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(MAJORITY, true, majority)
                    .setFunctionImplementation(new MajorityOnceGathered(majority, (int) (3 * heartbeat * 1000))));
            // When a split heals, the side that merges into the other was the minority, which appended nothing
            // (the rule above): its copies are stale, and Hazelcast's default (put if absent) would bring back
            // entries the majority removed meanwhile — nicks, memberships of swept sessions. Discard them.
            for (String pattern : List.of("parley.*")) {
                config.addRingBufferConfig(new RingbufferConfig(pattern).setSplitBrainProtectionName(MAJORITY)
                        .setMergePolicyConfig(discard()));
                config.addMapConfig(new MapConfig(pattern).setSplitBrainProtectionName(MAJORITY)
                        .setMergePolicyConfig(discard()));
            }
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        return config;
    }
}
