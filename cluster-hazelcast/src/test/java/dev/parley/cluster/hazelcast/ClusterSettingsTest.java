package dev.parley.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSettingsTest {

    @Test
    @DisplayName("the defaults come from reference.conf")
    void defaults() {
        ClusterSettings settings = ClusterSettings.from(ConfigFactory.parseString("parley.cluster.enabled = true"));
        assertThat(settings).isEqualTo(new ClusterSettings("parley", "", 5701, List.of(), java.util.Map.of(),
                Duration.ofSeconds(5)));
    }

    @Test
    @DisplayName("Hazelcast gets TCP/IP join with the members, no multicast, no phone-home, and the passthrough")
    void hazelcastConfig() {
        ClusterSettings settings = ClusterSettings.from(ConfigFactory.parseString("""
                parley.cluster {
                  name = prod, host = "10.0.0.1", port = 5801, members = ["10.0.0.1:5801", "10.0.0.2:5801"]
                  hazelcast { "hazelcast.max.no.heartbeat.seconds" = 7 }
                }
                """));
        Config config = HazelcastClusterProvider.hazelcastConfig(settings);
        assertThat(config.getClusterName()).isEqualTo("prod");
        // Members only, on the advanced network's member endpoint (see UnresponsivePeerTest for why).
        assertThat(config.getAdvancedNetworkConfig().isEnabled()).isTrue();
        ServerSocketEndpointConfig members = (ServerSocketEndpointConfig) config.getAdvancedNetworkConfig()
                .getEndpointConfigs().get(EndpointQualifier.MEMBER);
        assertThat(members.getPort()).isEqualTo(5801);
        assertThat(members.isPortAutoIncrement()).isFalse();
        assertThat(members.getInterfaces().getInterfaces()).containsExactly("10.0.0.1");
        assertThat(config.getAdvancedNetworkConfig().getEndpointConfigs()).containsOnlyKeys(EndpointQualifier.MEMBER);
        assertThat(config.getAdvancedNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
        assertThat(config.getAdvancedNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactly("10.0.0.1:5801", "10.0.0.2:5801");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"members = [\"10.0.0.1\"]", "port = 0", "name = \"\"", "prot = 5701",
            "operation-timeout = 0s"})
    @DisplayName("a bad setting fails with its key's name")
    void badSettings(String line) {
        assertThatThrownBy(() -> ClusterSettings.from(ConfigFactory.parseString("parley.cluster { " + line + " }")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parley.cluster");
    }
}
