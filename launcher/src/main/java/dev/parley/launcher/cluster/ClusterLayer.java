package dev.parley.launcher.cluster;

import dev.parley.core.spi.cluster.ClusterProvider;
import dev.parley.launcher.LaunchException;
import dev.parley.launcher.plugins.PluginLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The cluster implementation of the distribution's {@code lib/cluster/} directory (cluster-hazelcast and
 * Hazelcast), loaded as a module layer above the boot layer only when {@code parley.cluster.enabled = true}:
 * a single server never has a cluster library on its module graph. The technique is {@code plugins/}'s.
 *
 * @param provider    the {@link ClusterProvider} the layer offers
 * @param classLoader the layer's loader, whose {@code reference.conf} joins the reference configuration
 */
public record ClusterLayer(ClusterProvider provider, ClassLoader classLoader) {

    /**
     * Loads the modules of the directory and finds the one cluster provider among them.
     *
     * @throws LaunchException when the directory is missing, broken, or offers no or several providers
     */
    public static ClusterLayer load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new LaunchException(LaunchException.CONFIGURATION, "parley.cluster.enabled is true but "
                    + directory + " does not exist; it holds the cluster modules of the distribution", null);
        }
        Optional<ModuleLayer> loaded = PluginLayer.load(directory, "cluster modules");
        if (loaded.isEmpty()) {
            throw new LaunchException(LaunchException.CONFIGURATION, directory + " must offer exactly one cluster"
                    + " implementation; it holds no module", null);
        }
        ModuleLayer layer = loaded.get();
        List<ClusterProvider> providers = ServiceLoader.load(layer, ClusterProvider.class).stream()
                .filter(p -> p.type().getModule().getLayer() == layer)
                .map(ServiceLoader.Provider::get)
                .toList();
        if (providers.size() != 1) {
            throw new LaunchException(LaunchException.CONFIGURATION, directory + " must offer exactly one cluster"
                    + " implementation; it offers " + providers.size(), null);
        }
        ClassLoader loader = layer.modules().iterator().next().getClassLoader();
        return new ClusterLayer(providers.get(0), loader);
    }
}
