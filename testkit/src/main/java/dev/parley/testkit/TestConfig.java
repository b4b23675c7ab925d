package dev.parley.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.parley.core.spi.ParleyPlugin;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds a test server's configuration: overrides over every plugin's and core's reference.conf. */
final class TestConfig {
    private Config overrides = ConfigFactory.empty();

    void add(Config more) {
        overrides = more.withFallback(overrides);
    }

    void add(String hocon) {
        add(ConfigFactory.parseString(hocon));
    }

    void set(String path, Object value) {
        add(ConfigFactory.empty().withValue(path, ConfigValueFactory.fromAnyRef(value)));
    }

    void plugin(String plugin, String hocon) {
        add(ConfigFactory.parseString(hocon).atPath("parley." + plugin));
    }

    /**
     * The resolved root: overrides, then the reference.conf files seen by each plugin's class loader (a
     * plugin in its own layer has its own), then core's. System properties are ignored: tests stay repeatable.
     */
    Config resolve(List<? extends ParleyPlugin> plugins) {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        for (ParleyPlugin plugin : plugins) {
            loaders.add(plugin.getClass().getClassLoader());
        }
        loaders.add(TestConfig.class.getClassLoader());
        Config config = overrides;
        for (ClassLoader loader : loaders) {
            config = config.withFallback(ConfigFactory.parseResourcesAnySyntax(loader, "reference"));
        }
        return config.resolve();
    }
}
