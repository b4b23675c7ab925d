package dev.parley.launcher.config;

import com.google.inject.AbstractModule;
import com.typesafe.config.Config;

/** Binds the loaded, validated configuration and the launcher's settings read from it. */
public final class ConfigModule extends AbstractModule {
    private final Config config;
    private final LauncherSettings settings;

    public ConfigModule(Config config, LauncherSettings settings) {
        this.config = config;
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(Config.class).toInstance(config);
        bind(LauncherSettings.class).toInstance(settings);
    }
}
