package dev.parley.launcher.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.typesafe.config.Config;
import dev.parley.core.server.CoreSettings;
import dev.parley.core.server.ServerCore;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.spi.store.MessageStore;
import dev.parley.launcher.Version;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Core's settings and the {@link ServerCore} running the chosen plugins (bound by plugin modules), with the
 * node's {@link ClusterService} offered to them when the server is part of a cluster, and the
 * {@link MessageStore} always, and its {@link AccountStore} when it keeps accounts.
 */
public final class CoreModule extends AbstractModule {
    private final Optional<ClusterService> cluster;

    public CoreModule() {
        this(Optional.empty());
    }

    public CoreModule(Optional<ClusterService> cluster) {
        this.cluster = cluster;
    }

    @Override
    protected void configure() {
        bind(new TypeLiteral<Optional<ClusterService>>() { }).toInstance(cluster);
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
    ServerCore serverCore(CoreSettings settings, Config config, Set<ParleyPlugin> plugins, MessageStore store) {
        // Multibinder keeps binding order, which is parley.plugins order.
        ServerCore core = new ServerCore(settings, config, List.copyOf(plugins), Version.get());
        core.provide(MessageStore.class, store);
        // A committed batch's messages leave for each member in one write, not one per message.
        store.groupCompletions(core::sendTogether);
        store.accounts().ifPresent(accounts -> core.provide(AccountStore.class, accounts));
        cluster.ifPresent(c -> core.provide(ClusterService.class, c));
        return core;
    }
}
