package dev.parley.launcher.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.typesafe.config.Config;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.launcher.Version;
import java.util.List;
import java.util.Set;

/** Core's settings and the {@link ServerCore} running the chosen plugins (bound by plugin modules). */
public final class CoreModule extends AbstractModule {

    @Override
    protected void configure() {
        // Declares the set even when parley.plugins = [] and no plugin module adds to it.
        Multibinder.newSetBinder(binder(), ParleyPlugin.class);
    }

    @Provides
    @Singleton
    CoreSettings coreSettings(Config config) {
        return CoreSettings.from(config);
    }

    @Provides
    @Singleton
    ServerCore serverCore(CoreSettings settings, Config config, Set<ParleyPlugin> plugins) {
        // Multibinder keeps binding order, which is parley.plugins order.
        return new ServerCore(settings, config, List.copyOf(plugins), Version.get());
    }
}
