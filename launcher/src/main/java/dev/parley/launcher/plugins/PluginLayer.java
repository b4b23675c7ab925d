package dev.parley.launcher.plugins;

import dev.parley.launcher.LaunchException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.LayerInstantiationException;
import java.lang.module.ResolutionException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The modules of the distribution's {@code plugins/} directory, loaded in a layer above the boot layer. */
final class PluginLayer {
    private PluginLayer() {
    }

    /**
     * Loads every module in the directory that the boot layer does not already hold.
     *
     * @return empty when the directory holds no new module
     * @throws LaunchException when a module is broken or misses a dependency (which must sit in plugins/ too)
     */
    static Optional<ModuleLayer> load(Path directory) {
        ModuleLayer boot = ModuleLayer.boot();
        try {
            ModuleFinder finder = ModuleFinder.of(directory);
            Set<String> roots = finder.findAll().stream()
                    .map(ModuleReference::descriptor)
                    .map(descriptor -> descriptor.name())
                    .filter(name -> boot.findModule(name).isEmpty())
                    .collect(Collectors.toSet());
            if (roots.isEmpty()) {
                return Optional.empty();
            }
            // The plugins finder goes in the *after* slot: modules already in the boot layer (core above all)
            // must win, else the layer gets a second core and ServiceLoader silently ignores its plugins.
            Configuration configuration = boot.configuration().resolveAndBind(ModuleFinder.of(), finder, roots);
            return Optional.of(boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader()));
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new LaunchException(LaunchException.CONFIGURATION,
                    "cannot load the plugins in " + directory + ": " + e.getMessage(), e);
        }
    }
}
