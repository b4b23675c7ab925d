package dev.parley.core.server;

import dev.parley.core.spi.ParleyPlugin;
import dev.parley.core.spi.SpiVersion;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses plugins built for an SPI this server cannot run. The SPI version a plugin was built for is the
 * build metadata ({@code +spi.<major>.<minor>}) of the version of {@code dev.parley.core} that javac recorded
 * in the plugin's {@code requires dev.parley.core} when it compiled the plugin.
 */
final class PluginCompatibility {
    private static final Logger log = LoggerFactory.getLogger(PluginCompatibility.class);
    private static final String CORE = "dev.parley.core";
    private static final Pattern SPI = Pattern.compile("(?:^|[.+-])spi\\.(\\d+)\\.(\\d+)(?:$|[.+-])");

    private PluginCompatibility() {
    }

    /** Throws {@link StartupException} for the first plugin this server ({@link SpiVersion#CURRENT}) cannot run. */
    static void check(List<ParleyPlugin> plugins) {
        check(plugins, SpiVersion.CURRENT);
    }

    /** Throws {@link StartupException} for the first plugin a server of the given SPI cannot run. */
    static void check(List<ParleyPlugin> plugins, SpiVersion server) {
        for (ParleyPlugin plugin : plugins) {
            Optional<SpiVersion> builtFor = builtFor(plugin.getClass());
            if (builtFor.isEmpty()) {
                // Class path, automatic module or a core built without a module version (an IDE): nothing to go by.
                log.debug("plugin class {} records no SPI version; not checked", plugin.getClass().getName());
            } else if (!server.runs(builtFor.get())) {
                throw new StartupException(refusal(nameOf(plugin), builtFor.get(), server, coreLine()));
            }
        }
    }

    /** The SPI version the class's module was compiled against, if its descriptor records one. */
    static Optional<SpiVersion> builtFor(Class<?> pluginClass) {
        ModuleDescriptor descriptor = pluginClass.getModule().getDescriptor();
        if (descriptor == null) {
            return Optional.empty();
        }
        return descriptor.requires().stream()
                .filter(r -> r.name().equals(CORE))
                .findFirst()
                .flatMap(ModuleDescriptor.Requires::rawCompiledVersion)
                .flatMap(PluginCompatibility::spiOf);
    }

    /** The SPI version in a core module version's build metadata: {@code 0.1.0+spi.1.0} gives 1.0. */
    static Optional<SpiVersion> spiOf(String coreVersion) {
        int plus = coreVersion.indexOf('+');
        if (plus < 0) {
            return Optional.empty();
        }
        Matcher m = SPI.matcher(coreVersion.substring(plus + 1));
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SpiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String refusal(String plugin, SpiVersion builtFor, SpiVersion server, Optional<String> coreLine) {
        return "plugin '" + plugin + "' was built for Parley SPI " + builtFor + " but this server has SPI " + server
                + "; rebuild it against " + coreLine.map(line -> "parley-core " + line).orElse("this server's parley-core");
    }

    /** This core's release line, {@code 0.1.x}, from its module version, if it has one. */
    static Optional<String> coreLine() {
        ModuleDescriptor descriptor = PluginCompatibility.class.getModule().getDescriptor();
        if (descriptor == null) {
            return Optional.empty();
        }
        return descriptor.rawVersion().flatMap(PluginCompatibility::lineOf);
    }

    static Optional<String> lineOf(String version) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
        return m.find() ? Optional.of(m.group(1) + "." + m.group(2) + ".x") : Optional.empty();
    }

    private static String nameOf(ParleyPlugin plugin) {
        try {
            return plugin.name();
        } catch (RuntimeException | LinkageError e) {
            return plugin.getClass().getName();
        }
    }
}
