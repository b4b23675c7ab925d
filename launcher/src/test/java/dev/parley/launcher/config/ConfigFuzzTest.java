package dev.parley.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.parley.core.server.CoreSettings;
import dev.parley.transport.mina.TransportSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Coverage-guided fuzzing of the configuration loader: whatever the operator's file and {@code -Dparley.*}
 * values hold, loading them and reading the core and transport settings either succeeds or fails with the
 * {@link ConfigException} or {@link IllegalArgumentException} that {@code parley server} turns into a one-line
 * message, never with another exception. Replays the saved inputs in a normal build; {@code JAZZER_FUZZ=1}
 * fuzzes (see docs/fuzzing.md).
 */
class ConfigFuzzTest {
    private static final Config REFERENCE = ConfigLoader.reference(List.of(ConfigFuzzTest.class.getClassLoader()));
    private static final List<String> KEYS = List.of("parley.server.port", "parley.limits.max-connections",
            "parley.limits.max-payload-bytes", "parley.limits.handshake-timeout", "parley.limits.ipv6-prefix-length",
            "parley.server.worker-threads", "parley.plugins", "parley.tls.enabled", "parley.cluster.enabled");

    @FuzzTest(maxDuration = "30s")
    void loadAny(FuzzedDataProvider data) throws IOException {
        Properties system = new Properties();
        if (data.consumeBoolean()) {
            system.setProperty(data.pickValue(KEYS), data.consumeString(64));
        }
        String file = data.consumeRemainingAsString();
        Path conf = Files.createTempFile("parley-fuzz", ".conf");
        try {
            Files.writeString(conf, file);
            Config config = ConfigLoader.load(REFERENCE, Optional.of(conf), system, ConfigFactory.empty());
            CoreSettings.from(config);
            TransportSettings.from(config);
            assertThat(config.hasPath("parley")).isTrue();
        } catch (ConfigException | IllegalArgumentException operatorError) {
            assertThat(operatorError.getMessage()).as("an error an operator can act on").isNotBlank();
        } finally {
            Files.deleteIfExists(conf);
        }
    }
}
