package dev.parley.launcher.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import dev.parley.core.server.ServerCore;
import dev.parley.transport.mina.MinaServer;
import dev.parley.transport.mina.TransportSettings;

/** The MINA transport's settings and its server, handing connections to {@link ServerCore}. */
public final class TransportModule extends AbstractModule {

    @Provides
    @Singleton
    TransportSettings transportSettings(Config config) {
        return TransportSettings.from(config);
    }

    @Provides
    @Singleton
    MinaServer minaServer(TransportSettings settings, ServerCore core) {
        return new MinaServer(settings, core);
    }
}
