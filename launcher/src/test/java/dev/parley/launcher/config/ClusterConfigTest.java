package dev.parley.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code parley.cluster.enabled}: always known, read before the full load, and a disabled cluster's keys. */
class ClusterConfigTest {
    /** The launcher's own reference.conf, as in a distribution whose cluster module is not loaded. */
    private static final Config LAUNCHER_ONLY = ConfigFactory.parseResources(ClusterConfigTest.class, "/reference.conf")
            .withFallback(ConfigFactory.parseString("parley.server { port = 7878 }"));

    @Test
    @DisplayName("the cluster is off by default, and the launcher knows the key without the cluster module")
    void offByDefault() {
        assertThat(LAUNCHER_ONLY.getBoolean("parley.cluster.enabled")).isFalse();
        assertThat(ConfigLoader.clusterEnabled(LAUNCHER_ONLY, Optional.empty(), new Properties(), ConfigFactory.empty()))
                .isFalse();
        assertThat(LauncherSettings.from(ConfigLoader.reference(List.of(getClass().getClassLoader())).resolve())
                .clusterEnabled()).isFalse();
    }

    @Test
    @DisplayName("-Dparley.cluster.enabled=true turns it on before the cluster's own keys are known")
    void enabledBySystemProperty() {
        Properties properties = new Properties();
        properties.setProperty("parley.cluster.enabled", "true");
        assertThat(ConfigLoader.clusterEnabled(LAUNCHER_ONLY, Optional.empty(), properties, ConfigFactory.empty()))
                .isTrue();
    }

    @Test
    @DisplayName("a disabled cluster's settings are ignored, so turning it off is one line")
    void disabledSettingsIgnored() {
        Config config = ConfigFactory.parseString("parley.cluster { enabled = false, port = 5701, members = [] }")
                .withFallback(LAUNCHER_ONLY).resolve();
        ConfigLoader.rejectUnknownKeys(config, LAUNCHER_ONLY.resolve());
    }

    @Test
    @DisplayName("an enabled cluster's keys must be known (from the cluster module's reference.conf)")
    void enabledSettingsChecked() {
        Config config = ConfigFactory.parseString("parley.cluster { enabled = true, prot = 5701 }")
                .withFallback(LAUNCHER_ONLY).resolve();
        assertThatThrownBy(() -> ConfigLoader.rejectUnknownKeys(config, LAUNCHER_ONLY.resolve()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("parley.cluster.prot");
    }
}
