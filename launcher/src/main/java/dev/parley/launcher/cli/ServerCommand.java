package dev.parley.launcher.cli;

import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.parley.core.server.StartupException;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.cluster.ClusterService;
import dev.parley.launcher.Distribution;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.cluster.ClusterLayer;
import dev.parley.launcher.config.AuthGate;
import dev.parley.launcher.config.ConfigLoader;
import dev.parley.launcher.config.LauncherSettings;
import dev.parley.launcher.plugins.PluginCatalog;
import dev.parley.launcher.server.ParleyServer;
import dev.parley.launcher.server.ServerAssembly;
import dev.parley.launcher.server.ServerRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley server}: runs the server until SIGTERM or SIGINT, then shuts it down gracefully. */
@Command(name = "server", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Run the Parley server until SIGTERM or SIGINT (Ctrl-C), then stop gracefully.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (HOCON). Default: conf/parley.conf of the distribution, if present.")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (0: any free port); overrides parley.server.port.")
    Integer port;

    @Option(names = "--host", paramLabel = "H", description = "Address to listen on; overrides parley.server.host.")
    String host;

    @Override
    public Integer call() throws Exception {
        Optional<Distribution> distribution = Distribution.current();
        PluginCatalog catalog = PluginCatalog.discover(distribution.flatMap(Distribution::pluginsDirectory));
        ParleyServer server;
        Optional<ClusterService> cluster = Optional.empty();
        Config reference = null;
        Config loaded = null;
        try {
            List<ClassLoader> loaders = new ArrayList<>(catalog.classLoaders());
            Config fromFile = ConfigLoader.parse(configFile(distribution));
            Optional<ClusterLayer> clusterLayer = clusterLayer(distribution, loaders, fromFile);
            clusterLayer.ifPresent(layer -> loaders.add(layer.classLoader()));
            reference = ConfigLoader.reference(loaders);
            Config config = ConfigLoader.load(reference, fromFile, System.getProperties(), flags());
            loaded = config;
            LauncherSettings settings = LauncherSettings.from(config);
            AuthGate.check(config, reference, settings.plugins());
            List<ParleyPlugin> plugins = catalog.select(settings.plugins());
            cluster = clusterLayer.map(layer -> layer.provider().start(config));
            server = ServerAssembly.build(config, settings, plugins, cluster);
        } catch (ConfigException e) {
            cluster.ifPresent(ClusterService::close);
            throw LaunchException.configuration(ConfigLoader.describe(e, loaded, reference), e);
        } catch (IllegalArgumentException e) {
            cluster.ifPresent(ClusterService::close);
            throw LaunchException.configuration(e.getMessage(), e);
        } catch (CreationException e) {
            cluster.ifPresent(ClusterService::close);
            throw fromAssembly(e, e.getErrorMessages(), loaded, reference);
        } catch (ProvisionException e) {
            cluster.ifPresent(ClusterService::close);
            throw fromAssembly(e, e.getErrorMessages(), loaded, reference);
        }
        return ServerRun.run(server);
    }

    /** lib/cluster/ as a module layer when {@code parley.cluster.enabled = true}; else nothing is loaded. */
    private Optional<ClusterLayer> clusterLayer(Optional<Distribution> distribution, List<ClassLoader> loaders,
                                                Config fromFile) {
        if (!ConfigLoader.clusterEnabled(ConfigLoader.reference(loaders), fromFile, System.getProperties(),
                flags())) {
            return Optional.empty();
        }
        Distribution home = distribution.orElseThrow(() -> LaunchException.configuration(
                "parley.cluster.enabled is true, but the cluster modules are found only in a distribution's"
                        + " lib/cluster/ (start the server with bin/parley)", null));
        return Optional.of(ClusterLayer.load(home.clusterDirectory()));
    }

    private Optional<Path> configFile(Optional<Distribution> distribution) {
        return config != null ? Optional.of(config) : distribution.flatMap(Distribution::configFile);
    }

    /** The flags as the highest-precedence configuration layer. */
    private Config flags() {
        Config flags = ConfigFactory.empty();
        if (port != null) {
            flags = flags.withValue("parley.server.port", ConfigValueFactory.fromAnyRef(port, "option --port"));
        }
        if (host != null) {
            flags = flags.withValue("parley.server.host", ConfigValueFactory.fromAnyRef(host, "option --host"));
        }
        return flags;
    }

    /** Settings records throw while Guice builds them; report their message, not Guice's wrapping. */
    private static RuntimeException fromAssembly(RuntimeException e, Collection<Message> messages, Config loaded,
                                                 Config reference) {
        // One bad setting fails every binding that depends on it: Guice then reports no single cause.
        for (Message message : messages) {
            for (Throwable cause = message.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ConfigException config) {
                    return LaunchException.configuration(ConfigLoader.describe(config, loaded, reference), cause);
                }
                if (cause instanceof IllegalArgumentException) {
                    return LaunchException.configuration(cause.getMessage(), cause);
                }
                if (cause instanceof StoreUnavailableException) {
                    return new LaunchException(LaunchException.ENVIRONMENT, cause.getMessage(), cause);
                }
                if (cause instanceof StartupException) {
                    return new LaunchException(LaunchException.CONFIGURATION, cause.getMessage(), cause);
                }
            }
        }
        return e;
    }
}
