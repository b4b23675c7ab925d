package dev.parley.launcher.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.store.StoreSettings;
import dev.parley.launcher.Distribution;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.store.StoreOpener;
import dev.parley.web.WebMetrics;
import dev.parley.transport.mina.TransportSettings;
import java.nio.file.Path;

/**
 * The message store {@code parley.store.url} names, opened while the server is assembled, before it listens,
 * and timed into the metrics ({@code parley_store_operation_seconds}).
 */
public final class StoreModule extends AbstractModule {

    @Provides
    @Singleton
    StoreSettings storeSettings(Config config) {
        return StoreSettings.from(config.getConfig("parley.store"));
    }

    /**
     * Takes the other settings records only so that Guice builds them first: a mistyped setting then stops
     * start-up before the store creates files, takes locks or runs migrations, whatever the binding order.
     */
    @Provides
    @Singleton
    MessageStore messageStore(Config config, LauncherSettings settings, StoreSettings storeSettings,
                              CoreSettings coreSettings, TransportSettings transportSettings, WebMetrics metrics) {
        Path home = Distribution.current().map(Distribution::home).orElse(Path.of("").toAbsolutePath());
        // Timed where it is opened, so that core, plugins, the pruner and readiness all use the timed store.
        return metrics.timed(StoreOpener.open(config, home, settings.clusterEnabled()));
    }
}
