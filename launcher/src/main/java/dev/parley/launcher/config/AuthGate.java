package dev.parley.launcher.config;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Fails closed: an operator who configured authentication ({@code parley.auth.required = true} or any other
 * {@code parley.auth} value of their own) but left the auth plugin out of {@code parley.plugins} would otherwise
 * get a server that lets everyone in.
 */
public final class AuthGate {
    private static final String SECTION = "parley.auth";

    private AuthGate() {
    }

    /**
     * @param config    the resolved configuration
     * @param reference the merged reference of every module, unresolved
     * @param plugins   {@code parley.plugins}
     * @throws IllegalArgumentException saying to add {@code auth} to {@code parley.plugins}
     */
    public static void check(Config config, Config reference, List<String> plugins) {
        if (plugins.contains("auth") || !config.hasPath(SECTION)) {
            return;
        }
        Config resolved = reference.resolve();
        boolean required = config.hasPath(SECTION + ".required") && config.getBoolean(SECTION + ".required");
        // Values, not keys: conf/parley.conf may spell out a default, which configures nothing.
        boolean changed = !resolved.hasPath(SECTION)
                || !config.getConfig(SECTION).root().equals(resolved.getConfig(SECTION).root());
        if (required || changed) {
            throw new IllegalArgumentException((required ? "parley.auth.required is true" : "parley.auth is set")
                    + " but the auth plugin is not in parley.plugins, so nobody would be authenticated;"
                    + " add auth to parley.plugins (e.g. parley.plugins = [auth, " + String.join(", ", plugins)
                    + "]) or remove the parley.auth settings");
        }
    }
}
