package dev.parley.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.parley.core.spi.cluster.ClusterProvider;
import dev.parley.core.spi.cluster.ClusterService;

/** Starts an embedded Hazelcast member from {@code parley.cluster}: TCP/IP join only, no multicast, no phone-home. */
public final class HazelcastClusterProvider implements ClusterProvider {

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    public ClusterService start(com.typesafe.config.Config root) {
        ClusterSettings settings = ClusterSettings.from(root);
        return new HazelcastCluster(Hazelcast.newHazelcastInstance(hazelcastConfig(settings)), settings);
    }

    /** Also used by tests that start members without a whole server. */
    static HazelcastCluster start(ClusterSettings settings) {
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(hazelcastConfig(settings));
        return new HazelcastCluster(instance, settings);
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

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        if (!settings.host().isBlank()) {
            network.getInterfaces().setEnabled(true).addInterface(settings.host());
            config.setProperty("hazelcast.local.localAddress", settings.host());
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        return config;
    }
}
