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

/**
 * A directory of modules loaded in a layer above the boot layer: the distribution's {@code plugins/}, and
 * {@code lib/cluster/} when the cluster is on. The one place that builds such a layer.
 */
public final class PluginLayer {
    private PluginLayer() {
    }

    /** {@link #load(Path, String)} for the plugins directory. */
    static Optional<ModuleLayer> load(Path directory) {
        return load(directory, "plugins");
    }

    /**
     * Loads every module in the directory that the boot layer does not already hold.
     *
     * @param what names the directory's contents in errors, e.g. "plugins" or "cluster modules"
     * @return empty when the directory holds no new module
     * @throws LaunchException when a module is broken or misses a dependency (which must sit in that directory too)
     */
    public static Optional<ModuleLayer> load(Path directory, String what) {
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
                    "cannot load the " + what + " in " + directory + ": " + e.getMessage() + jdkModuleHint(e), e);
        }
    }

    /** Module "x" not found: a layer cannot add JDK modules the boot layer lacks, but JAVA_OPTS can. */
    private static final java.util.regex.Pattern NOT_FOUND = java.util.regex.Pattern.compile("Module (\\S+) not found");

    static String jdkModuleHint(RuntimeException e) {
        java.util.regex.Matcher missing = NOT_FOUND.matcher(String.valueOf(e.getMessage()));
        if (missing.find() && ModuleFinder.ofSystem().find(missing.group(1)).isPresent()) {
            return "; " + missing.group(1) + " is a module of the JDK, which the server resolves only when asked:"
                    + " start it with JAVA_OPTS=\"--add-modules " + missing.group(1) + "\"";
        }
        return "";
    }
}
