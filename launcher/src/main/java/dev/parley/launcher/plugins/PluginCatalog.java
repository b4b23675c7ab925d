package dev.parley.launcher.plugins;

import dev.parley.core.spi.ParleyPlugin;
import dev.parley.launcher.LaunchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin this launcher could run, by name: those on the module path (lib/) and those in the
 * distribution's plugins/ directory. {@code parley.plugins} then {@linkplain #select picks} which run.
 */
public final class PluginCatalog {
    private static final Logger log = LoggerFactory.getLogger(PluginCatalog.class);

    private final Map<String, ParleyPlugin> byName;
    private final List<ClassLoader> classLoaders;
    /** Modules of plugins/ that look like plugins (they require core) but provide none: see withoutPlugin. */
    private final List<String> withoutPlugin;

    PluginCatalog(List<ParleyPlugin> found, List<ClassLoader> classLoaders) {
        this(found, classLoaders, List.of());
    }

    PluginCatalog(List<ParleyPlugin> found, List<ClassLoader> classLoaders, List<String> withoutPlugin) {
        this.byName = byName(found);
        this.classLoaders = List.copyOf(classLoaders);
        this.withoutPlugin = List.copyOf(withoutPlugin);
    }

    /**
     * Finds the plugins with {@link ServiceLoader}: the boot layer's, then those of a layer built from
     * {@code pluginsDirectory}, if given.
     *
     * @throws LaunchException when plugins/ holds a broken module or a plugin cannot be instantiated
     */
    public static PluginCatalog discover(Optional<Path> pluginsDirectory) {
        try {
            return load(pluginsDirectory);
        } catch (ServiceConfigurationError e) {
            // A plugin class that cannot be instantiated (constructor threw, not public, ...).
            throw new LaunchException(LaunchException.CONFIGURATION, "cannot load a plugin: " + e.getMessage(), e);
        }
    }

    private static PluginCatalog load(Optional<Path> pluginsDirectory) {
        List<ParleyPlugin> found = new ArrayList<>();
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(PluginCatalog.class.getClassLoader());
        ServiceLoader.load(ParleyPlugin.class, PluginCatalog.class.getClassLoader()).forEach(found::add);
        Optional<ModuleLayer> layer = pluginsDirectory.flatMap(PluginLayer::load);
        layer.ifPresent(l -> {
            // load(layer, ...) also returns the boot layer's providers; keep only the layer's own.
            ServiceLoader.load(l, ParleyPlugin.class).stream()
                    .filter(provider -> provider.type().getModule().getLayer() == l)
                    .forEach(provider -> found.add(provider.get()));
            // The layer has one loader for all its modules (PluginLayer), and it delegates to ours.
            l.modules().stream().findAny().ifPresent(m -> loaders.add(m.getClassLoader()));
        });
        List<String> withoutPlugin = layer.map(PluginCatalog::withoutPlugin).orElse(List.of());
        if (!withoutPlugin.isEmpty()) {
            log.warn("plugins/ holds {} requiring dev.parley.core but providing no {}: is `provides {} with ...;`"
                    + " missing from its module-info?", withoutPlugin, ParleyPlugin.class.getName(),
                    ParleyPlugin.class.getName());
        }
        return new PluginCatalog(found, loaders, withoutPlugin);
    }

    /**
     * Modules of the layer that require core, provide no plugin and are required by no other module there: a
     * plugin whose module-info lacks its {@code provides} (a library a plugin needs does not require core, and a
     * plugin's helper module is required by the plugin).
     */
    static List<String> withoutPlugin(ModuleLayer layer) {
        String service = ParleyPlugin.class.getName();
        java.util.Set<String> required = new java.util.HashSet<>();
        layer.modules().forEach(m -> m.getDescriptor().requires().forEach(r -> required.add(r.name())));
        return layer.modules().stream()
                .map(Module::getDescriptor)
                .filter(d -> d.requires().stream().anyMatch(r -> r.name().equals("dev.parley.core")))
                .filter(d -> d.provides().stream().noneMatch(p -> p.service().equals(service)))
                .map(java.lang.module.ModuleDescriptor::name)
                .filter(name -> !required.contains(name))
                .sorted()
                .toList();
    }

    /** The plugins by name, first found first; a later plugin with a name already taken is dropped. */
    static Map<String, ParleyPlugin> byName(List<ParleyPlugin> found) {
        Map<String, ParleyPlugin> byName = new LinkedHashMap<>();
        for (ParleyPlugin plugin : found) {
            ParleyPlugin first = byName.putIfAbsent(plugin.name(), plugin);
            if (first != null && first.getClass() != plugin.getClass()) {
                log.warn("plugin '{}' found twice: using {} from {}, ignoring {} from {}", plugin.name(),
                        first.getClass().getName(), first.getClass().getModule(),
                        plugin.getClass().getName(), plugin.getClass().getModule());
            }
        }
        return byName;
    }

    /** Names of every available plugin, in discovery order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * Class loaders whose {@code reference.conf} files make up the reference configuration: the
     * launcher's, and the plugin layer's when there is one.
     */
    public List<ClassLoader> classLoaders() {
        return classLoaders;
    }

    /**
     * The named plugins, in the given order.
     *
     * @throws LaunchException naming the first unknown plugin and listing the available ones, sorted
     */
    public List<ParleyPlugin> select(List<String> names) {
        List<ParleyPlugin> selected = new ArrayList<>(names.size());
        for (String name : names) {
            ParleyPlugin plugin = byName.get(name);
            if (plugin == null) {
                throw new LaunchException(LaunchException.CONFIGURATION, "unknown plugin '" + name
                        + "' in parley.plugins; available: "
                        + (byName.isEmpty() ? "none" : String.join(", ", new TreeSet<>(byName.keySet())))
                        + (withoutPlugin.isEmpty() ? "" : "; plugins/ also holds " + String.join(", ", withoutPlugin)
                                + ", which provides no ParleyPlugin: is `provides dev.parley.core.spi.ParleyPlugin"
                                + " with ...;` missing from its module-info?"), null);
            }
            selected.add(plugin);
        }
        return selected;
    }
}
