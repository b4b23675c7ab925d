package dev.parley.launcher.server;

import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.typesafe.config.Config;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.launcher.config.ConfigModule;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.plugins.PluginModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Wires a {@link ParleyServer} from its Guice modules: one per concern, one per chosen plugin. */
public final class ServerAssembly {
    private ServerAssembly() {
    }

    /** The Guice modules of a server running these plugins, in this order. */
    public static List<Module> modules(Config config, LauncherSettings settings, List<ParleyPlugin> plugins) {
        return modules(config, settings, plugins, Optional.empty());
    }

    /** The same, for a node of a cluster whose membership already started. */
    public static List<Module> modules(Config config, LauncherSettings settings, List<ParleyPlugin> plugins,
                                       Optional<ClusterService> cluster) {
        List<Module> modules = new ArrayList<>();
        modules.add(new ConfigModule(config, settings));
        modules.add(new StoreModule());
        modules.add(new CoreModule(cluster));
        modules.add(new TransportModule());
        modules.add(new WebModule());
        plugins.forEach(plugin -> modules.add(new PluginModule(plugin)));
        return modules;
    }

    /**
     * Builds the server. Production stage creates every singleton now, so a bad setting fails here,
     * before anything listens.
     *
     * @throws com.google.inject.CreationException wrapping a settings record's exception
     */
    public static ParleyServer build(Config config, LauncherSettings settings, List<ParleyPlugin> plugins) {
        return build(config, settings, plugins, Optional.empty());
    }

    /** The same, for a node of a cluster; the server leaves the cluster when it shuts down. */
    public static ParleyServer build(Config config, LauncherSettings settings, List<ParleyPlugin> plugins,
                                     Optional<ClusterService> cluster) {
        return Guice.createInjector(Stage.PRODUCTION, modules(config, settings, plugins, cluster))
                .getInstance(ParleyServer.class);
    }
}
