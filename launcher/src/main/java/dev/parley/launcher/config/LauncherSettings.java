package dev.parley.launcher.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The launcher's own settings (see its reference.conf).
 *
 * @param plugins         names of the plugins to run, in start order, each once
 * @param shutdownTimeout how long a graceful shutdown waits for sessions to end
 */
public record LauncherSettings(List<String> plugins, Duration shutdownTimeout) {

    public LauncherSettings {
        plugins = List.copyOf(plugins);
        Set<String> seen = new HashSet<>();
        for (String name : plugins) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("parley.plugins names '" + name + "' twice");
            }
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("parley.server.shutdown-timeout must not be negative");
        }
    }

    /** Reads the settings from the root configuration (the one holding {@code parley}). */
    public static LauncherSettings from(Config root) {
        return new LauncherSettings(root.getStringList("parley.plugins"),
                root.getDuration("parley.server.shutdown-timeout"));
    }
}
